// copydesk's pages work without this script; it adds live brief feedback and anchors
// comments to the text a reviewer selects.
"use strict";

function liveBriefCheck(form) {
  const target = document.getElementById("gaps");
  if (!target) return;
  let timer = null;
  let sent = 0;
  const check = async () => {
    const body = new URLSearchParams(new FormData(form));
    if (form.dataset.brief) body.set("brief", form.dataset.brief);
    const mine = ++sent;
    try {
      const response = await fetch(form.dataset.check, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
      if (response.ok && mine === sent) {
        target.innerHTML = await response.text();
        target.dataset.checked = String(mine);
      }
    } catch (_) {
      // the server's answer on saving still says what is missing
    }
  };
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
}

// Character offsets (Unicode scalar values, as the server counts) of a DOM position inside
// the version text; tooltips are not part of the text.
function textOffset(root, node, offset) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement.closest("[data-tip]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  let count = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n === node) return count + [...n.data.slice(0, offset)].length;
    count += [...n.data].length;
  }
  return null;
}

function anchorComments(root, form) {
  const start = form.querySelector("#c-start");
  const end = form.querySelector("#c-end");
  const quote = form.querySelector("#c-quote");
  const capture = () => {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return;
    if (range.startContainer.nodeType !== Node.TEXT_NODE || range.endContainer.nodeType !== Node.TEXT_NODE) return;
    const a = textOffset(root, range.startContainer, range.startOffset);
    const b = textOffset(root, range.endContainer, range.endOffset);
    if (a === null || b === null || a >= b) return;
    start.value = String(a);
    end.value = String(b);
    quote.value = range.toString();
  };
  root.addEventListener("mouseup", capture);
  root.addEventListener("keyup", capture);
  quote.addEventListener("input", () => {
    start.value = "";
    end.value = "";
  });
}

function decisionHints(form) {
  const proud = form.querySelector("#d-proud");
  const reason = form.querySelector("#d-reason");
  form.addEventListener("change", () => {
    const chosen = form.querySelector("input[name=decision]:checked");
    const value = chosen ? chosen.value : "";
    proud.required = value === "approve";
    reason.required = value === "reject" || value === "request_changes";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-check]").forEach(liveBriefCheck);
  const text = document.getElementById("version-text");
  const comment = document.querySelector("form.comment-form");
  if (text && comment) anchorComments(text, comment);
  document.querySelectorAll("form.decision-form").forEach(decisionHints);
});
