/* Shows each agreement and box only when the worker's choices need it. Without this script
   every part stays visible and the form works the same. */
(function () {
  var form = document.getElementById("intake");
  if (!form) return;
  function picked(name) {
    var input = form.querySelector("input[name=" + name + "]:checked");
    return input ? input.value : "";
  }
  function names(block, attribute, value) {
    var list = block.getAttribute(attribute);
    return Boolean(value && list && list.split(" ").indexOf(value) >= 0);
  }
  function update() {
    var topic = picked("topic"), route = picked("route"), anonymous = picked("anonymous");
    var voice = form.querySelector("input[name=voice]");
    var hasVoice = voice && voice.files && voice.files.length > 0;
    var blocks = form.querySelectorAll("[data-topic],[data-route],[data-anonymous]");
    for (var i = 0; i < blocks.length; i++) {
      var b = blocks[i];
      var show = (b.hasAttribute("data-voice") && hasVoice) ||
        names(b, "data-topic", topic) || names(b, "data-route", route) ||
        names(b, "data-anonymous", anonymous) ||
        b.querySelector(".error") !== null;
      b.hidden = !show;
    }
  }
  form.addEventListener("change", update);
  update();
})();
