function mount(root, config, widget) {
  var timer = setTimeout(widget.close, config.duration_ms || 5000);
  root.querySelector('[data-action="close"]').addEventListener("click", function () {
    clearTimeout(timer);
    widget.close();
  });
}
