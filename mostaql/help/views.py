def index(request): pass
fees = terms = privacy = contact = ticket_queue = ticket_review = ticket_attachment = index
