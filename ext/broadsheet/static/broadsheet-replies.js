/* Broadsheet: the reply form posts to the publication's Isso server.
 *
 * Added only to pages with an open reply form when broadsheet_isso_url is set. It sends the
 * fields as Isso's API takes them (POST <isso>/new?uri=<the article's path>, a JSON body
 * with text, author, website, title and parent), tells the reader that the reply awaits
 * moderation, and keeps the text in the form whenever the reply was not taken. No other
 * script is loaded, nothing is stored in the browser, and no cookie is sent.
 */
(() => {
  "use strict";
  const form = document.querySelector("form.broadsheet-reply-form[data-isso]");
  if (!form || !window.fetch || !window.URL) return;

  const fields = form.elements;
  const status = form.querySelector(".broadsheet-reply-status");
  const submit = form.querySelector(".broadsheet-reply-submit");
  const answering = form.querySelector(".broadsheet-reply-answering");
  const message = (key) => form.dataset["msg" + key[0].toUpperCase() + key.slice(1)] || "";
  const say = (text, kind) => {
    status.textContent = text;
    status.dataset.kind = kind;
  };

  // The page says the form needs a script until this one runs.
  for (const control of form.querySelectorAll("input, textarea")) control.disabled = false;
  const notice = form.parentElement.querySelector(".broadsheet-replies-noscript");
  if (notice) notice.remove();

  const stopAnswering = () => {
    fields.parent.value = "";
    answering.hidden = true;
  };
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-parent]");
    if (!link) return;
    fields.parent.value = link.dataset.parent;
    answering.querySelector(".broadsheet-reply-answering-text").textContent =
      message("answering").replace("%s", link.dataset.author || "");
    answering.hidden = false;
    window.setTimeout(() => fields.comment.focus(), 0);
  });
  answering.querySelector("button").addEventListener("click", stopAnswering);

  // Isso explains a refusal in a small HTML page; only its text is shown.
  const reasonOf = async (response) => {
    try {
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const text = (page.querySelector("p") || page.body).textContent.trim();
      return text.slice(0, 200) || String(response.status);
    } catch (error) {
      return String(response.status);
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (fields.broadsheet_hp.value) {
      // Only a bot fills the hidden field: it is told what a person is told, and nothing is sent.
      say(message("pending"), "done");
      return;
    }
    const parent = fields.parent.value;
    const reply = {
      text: fields.comment.value,
      author: fields.author.value.trim() || null,
      website: fields.url.value.trim() || null,
      title: form.dataset.title,
      parent: parent ? Number(parent) : null,
    };
    const address = new URL("new", form.dataset.isso);
    address.searchParams.set("uri", form.dataset.issoUri);
    submit.disabled = true;
    say(message("sending"), "busy");
    let response;
    try {
      response = await fetch(address, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(reply),
        credentials: "omit",
      });
    } catch (error) {
      response = null;
    }
    submit.disabled = false;
    if (!response || response.status >= 500) {
      say(message("offline"), "error");
      return;
    }
    if (response.status === 201 || response.status === 202) {
      say(message(response.status === 202 ? "pending" : "published"), "done");
      fields.comment.value = "";
      stopAnswering();
      return;
    }
    say(message("refused").replace("%s", await reasonOf(response)), "error");
  });
})();
