/* Behaviour shared by every staff page (docs/adr/0012-design-system.md).
 * - Buttons and forms with data-confirm ask first, in a dialog that says what will happen.
 * - A form being submitted disables its buttons until the page answers (no double submission).
 * - <select data-picker="URL"> becomes a search-as-you-type picker (Tom Select) against the API.
 * - Toast messages close by themselves unless they report an error.
 * No inline scripts: the Content-Security-Policy allows scripts from this server only. */
(function () {
  "use strict";

  // Tabler 1.6 bundles Bootstrap and publishes it as window.tabler (Modal, Toast, …).
  function bs() {
    if (window.bootstrap && window.bootstrap.Modal) { return window.bootstrap; }
    if (window.tabler && window.tabler.Modal) { return window.tabler; }
    return null;
  }

  function confirmFirst(text, onOk) {
    var el = document.getElementById("confirm-dialog");
    var kit = bs();
    if (!el || !kit) { if (window.confirm(text)) { onOk(); } return; }
    document.getElementById("confirm-dialog-text").textContent = text;
    var modal = kit.Modal.getOrCreateInstance(el);
    var ok = document.getElementById("confirm-dialog-ok");
    var fresh = ok.cloneNode(true);
    ok.parentNode.replaceChild(fresh, ok);
    fresh.addEventListener("click", function () { modal.hide(); onOk(); });
    modal.show();
  }

  function lockForm(form, submitter) {
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
      b.disabled = true;
    });
    if (submitter && submitter.tagName === "BUTTON") {
      submitter.dataset.label = submitter.textContent;
      submitter.textContent = submitter.dataset.busy || "处理中…";
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var submitter = event.submitter || null;
    if (form.dataset.submitting === "1") { event.preventDefault(); return; }
    var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && form.dataset.confirmed !== "1") {
      event.preventDefault();
      confirmFirst(question, function () {
        form.dataset.confirmed = "1";
        if (submitter && submitter.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = submitter.name; hidden.value = submitter.value;
          form.appendChild(hidden);
        }
        lockForm(form, submitter);
        HTMLFormElement.prototype.submit.call(form);
      });
      return;
    }
    if ((form.method || "get").toLowerCase() === "post" && !form.hasAttribute("data-no-lock")) {
      lockForm(form, submitter);
    }
  });

  // A page restored from the back/forward cache gets its buttons back.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting; delete form.dataset.confirmed; form.removeAttribute("aria-busy");
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) {
        b.disabled = false;
        if (b.dataset.label) { b.textContent = b.dataset.label; delete b.dataset.label; }
      });
    });
  });

  function initPickers(root) {
    if (!window.TomSelect) { return; }
    root.querySelectorAll("select[data-picker]").forEach(function (select) {
      if (select.tomselect) { return; }
      var url = select.dataset.picker;
      new TomSelect(select, {
        valueField: "value", labelField: "label", searchField: [],
        maxOptions: 20, loadThrottle: 250, preload: select.dataset.preload === "1" ? "focus" : false,
        placeholder: select.dataset.placeholder || "输入姓名、拼音首字母或身份证号",
        load: function (query, callback) {
          if (!query && select.dataset.preload !== "1") { return callback(); }
          fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query),
                { credentials: "same-origin", headers: { "Accept": "application/json" } })
            .then(function (r) { return r.ok ? r.json() : { results: [] }; })
            .then(function (data) { callback(data.results || []); })
            .catch(function () { callback(); });
        },
        render: {
          option: function (item, escape) {
            return "<div><div>" + escape(item.label) + "</div>" +
              (item.detail ? "<div class=\"small text-secondary\">" + escape(item.detail) + "</div>" : "") + "</div>";
          },
          item: function (item, escape) { return "<div>" + escape(item.label) + "</div>"; },
          no_results: function () { return "<div class=\"no-results\">没有找到，换个姓名、拼音或身份证号试试</div>"; },
          loading: function () { return "<div class=\"spinner-border spinner-border-sm m-2\" role=\"status\"><span class=\"visually-hidden\">正在查找</span></div>"; }
        }
      });
      // The visible control is Tom Select's input (it takes over the label); the original
      // <select> only carries the value, so assistive technology should not meet it twice.
      select.setAttribute("aria-hidden", "true");
    });
  }

  function initToasts() {
    var kit = bs();
    if (!kit) { return; }
    document.querySelectorAll(".toast").forEach(function (el) {
      var autohide = el.dataset.autohide !== "false";
      var t = kit.Toast.getOrCreateInstance(el, { autohide: autohide, delay: 6000 });
      t.show();
    });
  }

  document.addEventListener("DOMContentLoaded", function () { initPickers(document); initToasts(); });
  document.addEventListener("htmx:afterSwap", function (e) { initPickers(e.target); });
})();
