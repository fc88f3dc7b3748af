// Glossary terms in what a rep reads become tappable: a tap opens a bottom sheet with the plain explanation.
// The page marks what a rep reads with data-glossary (an article's body, a quiz question, each choice, an
// explanation, a scenario moment, each choice, the coach's "why"); the first use of each term in each such block
// is marked (plain/templatetags/plain.py says why per block). Inside a button (a scenario choice) the term is a
// span: tapping it opens the sheet instead of choosing. Selecting any word offers "I don't understand this word",
// which sends it (and its sentence) to the authors. window.KizunaGlossary.mark(root) marks blocks drawn later.
(function () {
  "use strict";
  var data = document.getElementById("glossary-terms");
  var sheet = document.getElementById("glossary-sheet");
  var form = document.getElementById("word-ask");
  if (!data || !sheet) {
    return;
  }
  var byIndex = JSON.parse(data.textContent);
  var longestFirst = byIndex.map(function (term, index) { return index; }).sort(function (a, b) {
    return byIndex[b].term.length - byIndex[a].term.length;
  });

  function blockOf(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    return element ? element.closest("[data-glossary]") : null;
  }

  function wrapFirst(block, index) {
    var term = byIndex[index];
    // Inside a control (a choice button, a select) only a span can be put; elsewhere, a real button.
    var control = block.closest("button, select, textarea");
    if (control && control.tagName !== "BUTTON") return;
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var hidden = node.parentElement.closest("a, code, pre, select, textarea, .glossary-term, script, style");
        var button = node.parentElement.closest("button");
        return hidden || (button && button !== control) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var node;
    while ((node = walker.nextNode())) {
      var at = node.nodeValue.indexOf(term.term);
      if (at < 0) {
        continue;
      }
      var hit = node.splitText(at);
      hit.splitText(term.term.length);
      var mark = document.createElement(control ? "span" : "button");
      if (!control) {
        mark.type = "button";
        mark.setAttribute("aria-haspopup", "dialog");
      }
      mark.className = "glossary-term";
      mark.textContent = term.term;
      mark.setAttribute("data-term-index", String(index));
      hit.parentNode.replaceChild(mark, hit);
      return;
    }
  }

  function mark(root) {
    var blocks = Array.prototype.slice.call(root.querySelectorAll("[data-glossary]"));
    if (root.matches && root.matches("[data-glossary]")) blocks.unshift(root);
    blocks.forEach(function (block) {
      if (block.getAttribute("data-glossary-marked")) return;
      block.setAttribute("data-glossary-marked", "1");
      longestFirst.forEach(function (index) { wrapFirst(block, index); });
    });
  }
  window.KizunaGlossary = { mark: mark };
  mark(document);

  function sentenceAround(node, word) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    var block = element.closest("p, li, td, h1, h2, h3, blockquote, label, button") || blockOf(element);
    var text = (block || document.body).textContent || "";
    var parts = text.split(/(?<=[。！？!?])/);
    for (var i = 0; i < parts.length; i += 1) {
      if (parts[i].indexOf(word) >= 0) {
        return parts[i].trim().slice(0, 500);
      }
    }
    return text.trim().slice(0, 500);
  }

  function ask(word, sentence) {
    form.elements.word.value = word;
    form.elements.sentence.value = sentence;
    form.submit();
  }

  var askButton = sheet.querySelector("[data-sheet-ask]");
  // Offline (a lesson saved on the phone) the terms are explained as online; asking the authors needs the
  // connection, so it is offered only online.
  function connection() {
    if (askButton) askButton.hidden = !navigator.onLine;
    if (form) form.hidden = !navigator.onLine;
  }
  window.addEventListener("online", connection);
  window.addEventListener("offline", connection);
  connection();

  var current = null;
  // Capture: a term inside a choice button opens the sheet, and the button does not choose.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest(".glossary-term") : null;
    if (!target) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    var term = byIndex[Number(target.getAttribute("data-term-index"))];
    current = { word: term.term, sentence: sentenceAround(target.parentElement, term.term) };
    document.getElementById("glossary-sheet-term").textContent = term.term;
    document.getElementById("glossary-sheet-explanation").textContent = term.explanation;
    document.getElementById("glossary-sheet-example").textContent = term.example || "";
    sheet.showModal();
  }, true);
  sheet.querySelector("[data-sheet-close]").addEventListener("click", function () {
    sheet.close();
  });
  sheet.addEventListener("click", function (event) {
    if (event.target === sheet) {
      sheet.close(); // a tap on the backdrop
    }
  });
  if (askButton && form) {
    askButton.addEventListener("click", function () {
      if (current) {
        ask(current.word, current.sentence);
      }
    });
  }

  // Any word: select it (a long press on a phone), then tap the button that appears.
  var selectionButton = document.getElementById("word-ask-selection");
  if (!selectionButton || !form) {
    return;
  }
  var selected = null;
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    var text = selection ? selection.toString().trim() : "";
    var anchor = selection && selection.anchorNode;
    var inText = anchor && blockOf(anchor) !== null;
    if (inText && navigator.onLine && text.length > 0 && text.length <= 50) {
      selected = { word: text, sentence: sentenceAround(anchor, text) };
      selectionButton.hidden = false;
    } else if (!selectionButton.matches(":active")) {
      selectionButton.hidden = true;
    }
  });
  selectionButton.addEventListener("click", function () {
    if (selected) {
      ask(selected.word, selected.sentence);
    }
  });
})();
