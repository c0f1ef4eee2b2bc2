/* Fair pages, progressively enhanced; everything works without this file.
 * - [data-counters-url]: refresh the live counters every data-refresh-seconds while the page is visible.
 * - form[data-scan]: where the browser offers a camera and BarcodeDetector, scan a ticket's QR code into the
 *   ticket box and submit the form; otherwise the typed code (or a scanner gun acting as a keyboard) is used. */
(function () {
  "use strict";

  function refreshCounters(section) {
    var url = section.getAttribute("data-counters-url");
    var status = section.querySelector("[data-counter-status]");
    function tick() {
      if (document.hidden) return;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) {
          section.querySelectorAll("[data-counter]").forEach(function (node) {
            var value = data[node.getAttribute("data-counter")];
            if (typeof value === "number") node.textContent = value.toLocaleString();
          });
          if (status) status.dataset.updated = new Date().toISOString();
        })
        .catch(function () { /* keep the last figures; try again on the next tick */ });
    }
    var seconds = parseInt(section.getAttribute("data-refresh-seconds"), 10) || 15;
    window.setInterval(tick, Math.max(seconds, 1) * 1000);
  }

  function enableScanning(form) {
    var button = form.querySelector("[data-scan-start]");
    var video = form.querySelector("[data-scan-video]");
    var status = form.querySelector("[data-scan-status]");
    var input = form.querySelector("input[name=ticket]");
    if (!button || !video || !input || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        if (status) status.textContent = button.dataset.scanning || "…";
        function stop() { stream.getTracks().forEach(function (track) { track.stop(); }); video.hidden = true; }
        function look() {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stop();
              input.value = codes[0].rawValue;
              form.submit();
            } else {
              window.requestAnimationFrame(look);
            }
          }).catch(function () { window.requestAnimationFrame(look); });
        }
        look();
      }).catch(function () {
        if (status) status.textContent = button.dataset.denied || "";
        input.focus();
      });
    });
  }

  document.querySelectorAll("[data-counters-url]").forEach(refreshCounters);
  document.querySelectorAll("form[data-scan]").forEach(enableScanning);
})();
