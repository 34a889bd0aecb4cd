// Haven's small page tools, apart from the quick exit (exit.js): a Print
// button, and "Use my location" on the home page. Both are hidden until
// this script shows them, so a page without scripts offers neither (the
// browser's own menu still prints). The location is asked only when the
// button is tapped, goes into the form's place box and nowhere else: it is
// never stored.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-locate]").forEach(function (b) {
    if (!navigator.geolocation) return;
    var box = document.getElementById(b.getAttribute("data-locate"));
    var note = document.getElementById(b.getAttribute("aria-describedby") || "");
    if (!box) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      var say = function (key) { if (note) note.textContent = b.getAttribute(key) || ""; };
      say("data-asking");
      navigator.geolocation.getCurrentPosition(function (pos) {
        // Three decimals, about 100 m: enough to sort by distance.
        box.value = pos.coords.latitude.toFixed(3) + "," + pos.coords.longitude.toFixed(3);
        say("data-found");
      }, function () {
        say("data-failed");
      }, { maximumAge: 0, timeout: 15000 });
    });
  });
})();
