function mount(root, config, widget) {
  var types = config.consent_types || [];

  function button(action) { return root.querySelector('[data-action="' + action + '"]'); }

  function decide(isGranted) {
    var trackingGranted = null;
    types.forEach(function (type) {
      var granted = Boolean(type.required || isGranted(type.id));
      widget.track(granted ? "consent-granted" : "consent-revoked", { consentType: type.id, source: "consent-banner" });
      if (type.id === config.tracking_consent_type) { trackingGranted = granted; }
    });
    if (trackingGranted !== null && widget.consent) {
      if (trackingGranted) { widget.consent.grant(); } else { widget.consent.deny(); }
    }
    widget.close();
  }

  button("accept").addEventListener("click", function () { decide(function () { return true; }); });
  button("reject").addEventListener("click", function () { decide(function () { return false; }); });
  button("customize").addEventListener("click", function () {
    root.querySelector(".choices").classList.remove("cairn-hidden");
    button("customize").classList.add("cairn-hidden");
    button("save").classList.remove("cairn-hidden");
  });
  button("save").addEventListener("click", function () {
    var chosen = {};
    Array.prototype.forEach.call(root.querySelectorAll('input[name="consent"]'), function (input) {
      chosen[input.value] = input.checked;
    });
    decide(function (id) { return chosen[id]; });
  });
}
