// Quick exit: leave Haven at once for a neutral site, by the button or the
// Esc key. The page is blanked first, so nothing lingers on screen while the
// next site loads, and location.replace swaps this page's history entry for
// the neutral site, so Back does not return here. Without JavaScript the
// button is a plain link to the same site.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) return;
  var target = link.getAttribute("data-exit") || link.href;
  function leave(ev) {
    if (ev) ev.preventDefault();
    document.title = "";
    document.documentElement.classList.add("exiting");
    if (document.body) document.body.textContent = "";
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" || ev.key === "Esc") leave(ev);
  });
})();
