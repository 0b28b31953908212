// Adds the viewer's own time beside each meeting time (`time.meeting-time`) when the
// viewer's clock differs from the meeting's. Loaded with <script src> (the CSP forbids
// inline scripts); the page reads fine without it: times are in the meeting's zone.
(function () {
  "use strict";
  var root = document.querySelector("[data-zone]");
  if (!root || !window.Intl || !Intl.DateTimeFormat) { return; }
  var zone = root.getAttribute("data-zone");
  var mine;
  try { mine = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || !mine || mine === zone) { return; }
  var opts = { weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  var there = { weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone };
  var times = document.querySelectorAll("time.meeting-time[datetime]");
  Array.prototype.forEach.call(times, function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when.getTime())) { return; }
    var here;
    try {
      if (when.toLocaleString("en-GB", there) === when.toLocaleString("en-GB", opts)) { return; }
      here = when.toLocaleString("en-GB", opts);
    } catch (e) { return; }
    var note = document.createElement("span");
    note.className = "your-time";
    note.textContent = " (" + here + " your time)";
    el.parentNode.insertBefore(note, el.nextSibling);
  });
})();
