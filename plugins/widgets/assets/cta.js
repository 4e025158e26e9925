function mount(root, config, widget) {
  if (config.position === "center") { root.host.classList.add("center"); }
  root.querySelector('[data-action="go"]').addEventListener("click", function () {
    widget.track("cta-clicked", { ctaId: config.cta_id || null, url: config.url });
    widget.close();
  });
  root.querySelector('[data-action="close"]').addEventListener("click", function () {
    widget.track("widget-dismissed", { widget: widget.id });
    widget.close();
  });
}
