// Quick exit, and a visit that leaves one history entry.
//
// Quick exit follows GOV.UK's "Exit this page": the button, Shift pressed
// three times (even while typing), or Esc when the focus is not in a form
// field (people press Esc by reflex while typing, and would lose their
// work) leave at once for a neutral site. The page is blanked first, so
// nothing lingers on screen while the next site loads, and location.replace
// swaps this page's history entry for the neutral site, so Back does not
// return here.
//
// Moving inside Haven replaces the history entry too, so a whole visit is
// one entry, which the quick exit then replaces: links and GET forms go by
// location.replace, and POST forms are sent with fetch and their answer
// shown in place (a form's POST always adds an entry in Chromium, even to
// the page's own address).
//
// Without JavaScript all of this falls back to plain links and forms: the
// quick exit is a link to the same neutral site, and each page adds an
// entry to the history as usual.
(function () {
  "use strict";
  var first = document.getElementById("quick-exit");
  if (!first) return;
  var target = first.getAttribute("data-exit") || first.href;
  var leaving = false;

  function leave(ev) {
    if (ev) ev.preventDefault();
    leaving = true;
    document.title = "";
    document.documentElement.classList.add("exiting");
    if (document.body) document.body.textContent = "";
    window.location.replace(target);
  }

  // inField reports whether the focus is where Esc belongs to the field:
  // text boxes, lists, choices and editable text.
  function inField(el) {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    return !/^(button|submit|reset|image)$/.test(el.type);
  }

  // Shift three times, with no other key between, each within shiftWindow
  // of the last (GOV.UK's timing): holding Shift to type capitals never
  // counts, since each capital is another key.
  var shifts = 0, lastShift = 0, shiftWindow = 5000;
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Shift") {
      if (ev.repeat) return;
      var now = Date.now();
      shifts = now - lastShift <= shiftWindow ? shifts + 1 : 1;
      lastShift = now;
      if (shifts >= 3) leave(ev);
      return;
    }
    shifts = 0;
    if ((ev.key === "Escape" || ev.key === "Esc") && !inField(document.activeElement)) leave(ev);
  }, true);

  // ours reports whether url is a page of this site that a replace can open.
  function ours(url) {
    return url.origin === location.origin && (url.protocol === "http:" || url.protocol === "https:");
  }

  function go(url) {
    var u = new URL(url, location.href);
    var samePage = u.href.split("#")[0] === location.href.split("#")[0];
    location.replace(u.href);
    // A jump within the page (the skip link) moves focus, as the link would.
    if (samePage && u.hash) {
      var el = document.getElementById(decodeURIComponent(u.hash.slice(1)));
      if (el && el.tabIndex >= -1 && typeof el.focus === "function") el.focus();
    }
  }

  // The delegated click also covers the quick exit button of a page shown
  // in place after a POST.
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[href]");
    if (!a) return;
    if (a.id === "quick-exit") return leave(ev);
    // A new tab or window is the visitor's own choice.
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    if ((a.target && a.target !== "_self") || a.hasAttribute("download")) return;
    var url = new URL(a.href, location.href);
    if (!ours(url)) return;
    ev.preventDefault();
    go(url.href);
  });

  document.addEventListener("submit", function (ev) {
    if (ev.defaultPrevented || leaving || plain) return;
    var form = ev.target, sub = ev.submitter || null;
    var method = ((sub && sub.getAttribute("formmethod")) || form.getAttribute("method") || "get").toLowerCase();
    var action = new URL((sub && sub.getAttribute("formaction")) || form.getAttribute("action") || location.href, location.href);
    var tgt = (sub && sub.getAttribute("formtarget")) || form.getAttribute("target");
    if (!ours(action) || (tgt && tgt !== "_self") || method === "dialog") return;
    var data = new FormData(form, sub);
    if (method === "get") {
      ev.preventDefault();
      action.search = new URLSearchParams(data).toString();
      go(action.href);
      return;
    }
    if (method !== "post") return;
    ev.preventDefault();
    var multipart = (form.getAttribute("enctype") || "").toLowerCase() === "multipart/form-data";
    post(form, sub, action.href, multipart ? data : new URLSearchParams(data));
  });

  // post sends a form and shows its answer: a redirect's page by replace,
  // any other page in place of this one, at its own address. If the request
  // cannot be sent, the form goes the plain way.
  var busy = false, plain = false;
  function post(form, sub, url, body) {
    if (busy) return;
    busy = true;
    fetch(url, { method: "POST", body: body, credentials: "same-origin", redirect: "follow" }).then(function (resp) {
      if (resp.redirected) {
        go(resp.url);
        return;
      }
      return resp.text().then(function (html) { show(html, resp.url); });
    }, function () {
      plain = true;
      form.requestSubmit(sub && sub.form === form ? sub : null);
    }).then(function () { busy = false; }, function (err) { busy = false; throw err; });
  }

  // show puts a page in place of this one and gives it this entry.
  function show(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    document.title = doc.title;
    document.documentElement.lang = doc.documentElement.lang;
    document.body.replaceWith(document.adoptNode(doc.body));
    history.replaceState(null, "", url);
    window.scrollTo(0, 0);
    var main = document.getElementById("main");
    if (main) main.focus();
  }
})();
