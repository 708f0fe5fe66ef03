// A progress report's photos are made smaller on the phone before they are sent, and the form
// shows how far the sending has gone: a phone camera's 4000 px photo is several megabytes, a
// long wait on a slow link, while 1600 px (StoneBridge default) still shows a notice or a
// machine guard clearly. Drawing the photo afresh also leaves its location data (EXIF) behind.
// Without this script, or in a browser that cannot do it, the form sends the files as they are.
(function () {
  "use strict";
  const LONG_SIDE = 1600;
  const QUALITY = 0.85;
  const resizing = new WeakMap();

  async function smaller(file) {
    if (!/^image\/(jpeg|png)$/.test(file.type)) return file;
    let image;
    try {
      image = await createImageBitmap(file);
    } catch (error) {
      return file;
    }
    const scale = LONG_SIDE / Math.max(image.width, image.height);
    if (scale >= 1) {
      image.close();
      return file;
    }
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    const context = canvas.getContext("2d");
    // JPEG has no transparency: what was transparent in a PNG becomes white, not black.
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    image.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
    if (!blob) return file;
    return new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" });
  }

  // <form data-photos>: resize the photos as soon as they are chosen, while the person writes.
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches("form[data-photos] input[type=file]")) return;
    const ready = Promise.all(Array.from(input.files, smaller)).then((files) => {
      // A newer choice replaces this one.
      if (resizing.get(input.form) !== ready) return;
      try {
        const chosen = new DataTransfer();
        files.forEach((file) => chosen.items.add(file));
        input.files = chosen.files;
      } catch (error) {
        // Browsers that cannot replace a file input's files send the originals.
      }
    });
    resizing.set(input.form, ready);
  });

  // htmx sends the form (hx-boost) once its photos are ready.
  document.addEventListener("htmx:confirm", (event) => {
    const ready = resizing.get(event.detail.elt);
    if (!ready) return;
    event.preventDefault();
    ready.then(() => event.detail.issueRequest(true));
  });

  const part = (form, name) => form.querySelector("[data-" + name + "]");

  document.addEventListener("htmx:beforeSend", (event) => {
    const form = event.detail.elt;
    if (!form.matches("form[data-photos]")) return;
    const progress = part(form, "progress");
    part(form, "failed").hidden = true;
    progress.hidden = false;
    const bar = progress.querySelector("progress");
    event.detail.xhr.upload.addEventListener("progress", (sent) => {
      if (!sent.lengthComputable) return;
      bar.max = sent.total;
      bar.value = sent.loaded;
    });
  });

  // A failed sending (no connection, an expired page) says so rather than leaving the bar.
  ["htmx:sendError", "htmx:responseError"].forEach((name) => {
    document.addEventListener(name, (event) => {
      const form = event.detail.elt;
      if (!form.matches("form[data-photos]")) return;
      part(form, "progress").hidden = true;
      part(form, "failed").hidden = false;
    });
  });
})();
