"""Every contract made before milestones becomes a contract of one milestone with its whole amount,
days and dates, and its deliveries belong to that milestone. No money moves: the escrow each contract
holds is the escrow its one milestone holds, so the ledger audit reads the same before and after."""

from django.db import migrations

MILESTONE_STATUS = {
    "awaiting_funding": "pending",
    "active": "funded",
    "delivered": "delivered",
    "completed": "paid",
    "cancelled": "refunded",
    "declined": "cancelled",
    "withdrawn": "cancelled",
}


def one_milestone_each(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    Milestone = apps.get_model("contracts", "Milestone")
    Delivery = apps.get_model("contracts", "Delivery")
    for contract in Contract.objects.select_related("project").filter(milestones__isnull=True).iterator():
        if contract.status == "disputed":
            status = "delivered" if contract.delivered_at else "funded"
        else:
            status = MILESTONE_STATUS[contract.status]
        contract.title = contract.project.title
        contract.save(update_fields=["title"])
        milestone = Milestone.objects.create(
            contract=contract,
            position=1,
            title=contract.project.title[:120],
            amount_cents=contract.amount_cents,
            days=contract.duration_days,
            status=status,
            funded_at=contract.funded_at,
            started_at=contract.funded_at,
            delivered_at=contract.delivered_at if status in ("delivered", "paid") else None,
            paid_at=contract.completed_at if status == "paid" else None,
        )
        Delivery.objects.filter(contract=contract).update(milestone=milestone)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0006_milestones_orders")]

    operations = [migrations.RunPython(one_milestone_each, migrations.RunPython.noop)]
