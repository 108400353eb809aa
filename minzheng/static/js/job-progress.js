/* A job's page (后台作业): while the job is queued or running, poll its
   status.json every two seconds and update the stage, counts, bar and
   duration; when it ends, show its result or its error (ADR 0017).
   No inline script (docs/adr/0012-design-system.md). */
(function () {
  "use strict";
  var card = document.getElementById("job-progress");
  if (!card || !card.dataset.statusUrl || !window.fetch) { return; }
  var url = card.dataset.statusUrl;
  var $ = function (id) { return document.getElementById(id); };
  var tones = {queued: "secondary", running: "blue", succeeded: "green", failed: "red"};

  function show(el, visible) { if (el) { el.classList.toggle("d-none", !visible); } }

  function render(s) {
    var status = $("job-status");
    status.textContent = s.status_label;
    status.className = "badge bg-" + (tones[s.status] || "secondary") + "-lt";
    $("job-stage").textContent = s.stage || (s.status === "queued" ? "等待后台进程开始运行" : "—");
    $("job-counts").textContent = s.total ? (s.done || 0) + " / " + s.total : "";
    var bar = $("job-bar"), fill = bar.firstElementChild;
    fill.classList.toggle("progress-bar-indeterminate", s.percent === null && s.active);
    fill.classList.toggle("bg-success", s.status === "succeeded");
    fill.classList.toggle("bg-danger", s.status === "failed");
    fill.style.width = (s.percent === null ? 100 : s.percent) + "%";
    if (s.percent === null) { bar.removeAttribute("aria-valuenow"); } else { bar.setAttribute("aria-valuenow", s.percent); }
    $("job-duration").textContent = "用时：" + s.duration;
    show($("job-queued-note"), s.status === "queued");
    if (s.status === "succeeded") {
      $("job-summary-text").textContent = s.summary;
      var link = $("job-result-link");
      if (s.result_url) { link.href = s.result_url; link.textContent = s.result_label || "查看结果"; }
      show(link, !!s.result_url);
      show($("job-summary"), true);
    }
    if (s.status === "failed") {
      $("job-error-text").textContent = s.error;
      show($("job-error"), true);
    }
  }

  function poll() {
    window.fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) {
        render(s);
        if (s.active) { window.setTimeout(poll, 2000); }
        else if (s.status === "failed") { window.location.reload(); }  /* shows the retry button */
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
