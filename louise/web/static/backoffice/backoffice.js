// Back office behaviour: new-order badge and sound, label scanning (the counter's address
// suggestions are web/address-suggest.js, copy buttons web/copy.js, shared with other pages).
// No framework: a tablet browser and a flaky shop Wi-Fi are enough.
(function () {
  "use strict";

  // --- New orders: poll, badge, title, optional chime -------------------------------------
  const badge = document.getElementById("inbox-badge");
  const toggle = document.getElementById("sound-toggle");
  let audio = null;
  let soundOn = sessionStorage.getItem("louise-sound") === "on";

  function chime() {
    if (!soundOn || !audio) return;
    [0, 0.18].forEach(function (delay) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = delay ? 1320 : 880;
      gain.gain.setValueAtTime(0.25, audio.currentTime + delay);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + delay + 0.35);
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + delay);
      osc.stop(audio.currentTime + delay + 0.4);
    });
  }

  function showSound() {
    if (!toggle) return;
    toggle.setAttribute("aria-pressed", String(soundOn));
    toggle.textContent = "Ton bei neuer Bestellung: " + (soundOn ? "an" : "aus");
  }

  if (toggle) {
    showSound();
    toggle.addEventListener("click", function () {
      // Browsers only allow sound after a tap: the tap on this button unlocks it.
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      soundOn = !soundOn;
      sessionStorage.setItem("louise-sound", soundOn ? "on" : "off");
      showSound();
      chime();
    });
  }

  // On the inbox, new orders slide in without a reload (a reload would mute the chime:
  // browsers only allow sound after a tap on the page that plays it).
  function refreshLanes(latest) {
    const lanes = document.getElementById("lanes");
    if (!lanes) return;
    fetch(location.href, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("lanes");
        if (fresh) lanes.innerHTML = fresh.innerHTML;
        document.getElementById("inbox-live").textContent = "Neue Bestellung " + latest;
      });
  }

  const baseTitle = document.title;
  let known = null;
  let polled = false;
  function poll() {
    fetch(badge.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        badge.textContent = data.new;
        badge.hidden = data.new === 0;
        document.title = data.new ? "(" + data.new + ") " + baseTitle : baseTitle;
        if (polled && data.latest && data.latest !== known) {
          chime();
          refreshLanes(data.latest);
        }
        known = data.latest;
        polled = true;
      })
      .catch(function () { /* offline for a moment: try again next round */ });
  }
  if (badge) {
    poll();
    setInterval(poll, 15000);
  }

  // --- Scanning a label with the tablet's camera (where the browser can) ------------------
  const cameraButton = document.getElementById("camera-scan");
  if (cameraButton && "BarcodeDetector" in window) {
    cameraButton.hidden = false;
    cameraButton.addEventListener("click", function () {
      const video = document.getElementById("camera");
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream; video.hidden = false; video.play();
        const look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stream.getTracks().forEach(function (t) { t.stop(); });
              document.getElementById("id_code").value = codes[0].rawValue;
              document.getElementById("scan-form").submit();
            } else { requestAnimationFrame(look); }
          });
        };
        look();
      });
    });
  }
})();
