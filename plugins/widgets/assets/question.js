function mount(root, config, widget) {
  function answer(value) {
    widget.track("question-answered", { questionId: config.question_id, answer: value });
    root.querySelector(".ask").classList.add("cairn-hidden");
    root.querySelector(".cairn-thanks").classList.remove("cairn-hidden");
    setTimeout(widget.close, 2000);
  }

  Array.prototype.forEach.call(root.querySelectorAll(".answer"), function (button) {
    button.addEventListener("click", function () { answer(button.getAttribute("data-answer")); });
  });
  var text = root.querySelector(".text");
  var submit = root.querySelector('[data-action="submit"]');
  if (text && submit) {
    text.addEventListener("input", function () { submit.disabled = !text.value.trim(); });
    submit.addEventListener("click", function () { if (text.value.trim()) { answer(text.value.trim()); } });
  }
  root.querySelector('[data-action="close"]').addEventListener("click", function () {
    widget.track("widget-dismissed", { widget: widget.id });
    widget.close();
  });
}
