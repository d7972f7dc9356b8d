// The service page's running total: base price × quantity + the ticked upgrades, and the delivery
// date they imply. Progressive enhancement only: without it, "Continue to order" shows the same total
// on the confirmation page, computed by the server (gigs.services.quote_order), which decides.
(function () {
  "use strict";
  function money(cents) {
    var dollars = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var rest = String(cents % 100).padStart(2, "0");
    return "$" + dollars + "." + rest;
  }
  function isoDate(days) {
    var date = new Date();
    date.setDate(date.getDate() + days);
    return date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0") + "-" +
      String(date.getDate()).padStart(2, "0");
  }
  function setUp(form) {
    var base = parseInt(form.dataset.baseCents, 10);
    var days = parseInt(form.dataset.days, 10);
    var cap = parseInt(form.dataset.capCents, 10);
    var total = form.querySelector("[data-total]");
    var amount = form.querySelector("[data-total-amount]");
    var due = form.querySelector("[data-due-date]");
    var capMessage = form.querySelector("[data-cap-message]");
    var button = form.querySelector("button[type=submit]");
    var quantity = form.querySelector("[name=quantity]");
    function update() {
      var cents = base * parseInt(quantity.value || "1", 10);
      var extraDays = 0;
      form.querySelectorAll("input[name=upgrades]:checked").forEach(function (box) {
        cents += parseInt(box.dataset.priceCents, 10);
        extraDays += parseInt(box.dataset.extraDays, 10);
      });
      amount.textContent = money(cents);
      due.textContent = isoDate(days + extraDays);
      total.hidden = false;
      var over = cents > cap;
      capMessage.hidden = !over;
      if (button) { button.disabled = over; }
    }
    form.addEventListener("change", update);
    update();
  }
  function gallery() {
    var main = document.querySelector(".service-main-image");
    document.querySelectorAll("[data-gallery-image]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        main.src = link.dataset.galleryImage;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-order-form]").forEach(setUp);
    if (document.querySelector(".service-main-image")) { gallery(); }
  });
})();
