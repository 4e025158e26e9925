function mount(root, config, widget) {
  var chosen = null;
  var scores = Array.prototype.slice.call(root.querySelectorAll(".score"));
  var comment = root.querySelector(".comment");
  var submit = root.querySelector('[data-action="submit"]');

  function show(score) {
    scores.forEach(function (button) {
      var value = Number(button.getAttribute("data-score"));
      var on = config.scale === "stars" ? value <= score : value === score;
      button.classList.toggle("on", on);
      button.setAttribute("aria-checked", String(value === score));
    });
  }

  function send() {
    var text = comment ? comment.value.trim() : "";
    var properties = { score: chosen, scale: config.scale, comment: text || null };
    if (config.rating_id) { properties.ratingId = config.rating_id; }
    widget.track("rating-submitted", properties);
    root.querySelector(".ask").classList.add("cairn-hidden");
    root.querySelector(".cairn-thanks").classList.remove("cairn-hidden");
    setTimeout(widget.close, 2500);
  }

  scores.forEach(function (button) {
    button.addEventListener("click", function () {
      chosen = Number(button.getAttribute("data-score"));
      show(chosen);
      if (submit) { submit.disabled = false; } else { send(); }
    });
  });
  if (submit) { submit.addEventListener("click", function () { if (chosen !== null) { send(); } }); }
  root.querySelector('[data-action="close"]').addEventListener("click", function () {
    widget.track("widget-dismissed", { widget: widget.id });
    widget.close();
  });
}
