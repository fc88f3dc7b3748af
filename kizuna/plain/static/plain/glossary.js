// A published lesson's glossary terms become tappable: a tap opens a bottom sheet with the plain explanation.
// Selecting any word offers "I don't understand this word", which sends it (and its sentence) to the authors.
(function () {
  "use strict";
  var data = document.getElementById("glossary-terms");
  var sheet = document.getElementById("glossary-sheet");
  var form = document.getElementById("word-ask");
  var article = document.querySelector("#lesson .article");
  if (!data || !sheet || !form) {
    return;
  }
  var terms = JSON.parse(data.textContent).sort(function (a, b) {
    return b.term.length - a.term.length;
  });
  var byIndex = [];

  function skip(node) {
    return node.parentElement.closest("a, code, pre, button, .glossary-term") !== null;
  }

  function wrapFirst(term, index) {
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return skip(node) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
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
      var button = document.createElement("button");
      button.type = "button";
      button.className = "glossary-term";
      button.textContent = term.term;
      button.setAttribute("data-term-index", String(index));
      button.setAttribute("aria-haspopup", "dialog");
      hit.parentNode.replaceChild(button, hit);
      return;
    }
  }

  if (article) {
    terms.forEach(function (term, index) {
      byIndex[index] = term;
      wrapFirst(term, index);
    });
  }

  function sentenceAround(node, word) {
    var block = node.closest ? node.closest("p, li, td, h1, h2, h3, blockquote") : null;
    var text = (block || article || document.body).textContent || "";
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

  var current = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".glossary-term");
    if (!button) {
      return;
    }
    var term = byIndex[Number(button.getAttribute("data-term-index"))];
    current = { word: term.term, sentence: sentenceAround(button, term.term) };
    document.getElementById("glossary-sheet-term").textContent = term.term;
    document.getElementById("glossary-sheet-explanation").textContent = term.explanation;
    document.getElementById("glossary-sheet-example").textContent = term.example || "";
    sheet.showModal();
  });
  sheet.querySelector("[data-sheet-close]").addEventListener("click", function () {
    sheet.close();
  });
  sheet.addEventListener("click", function (event) {
    if (event.target === sheet) {
      sheet.close(); // a tap on the backdrop
    }
  });
  sheet.querySelector("[data-sheet-ask]").addEventListener("click", function () {
    if (current) {
      ask(current.word, current.sentence);
    }
  });

  // Any word: select it (a long press on a phone), then tap the button that appears.
  var selectionButton = document.getElementById("word-ask-selection");
  var selected = null;
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    var text = selection ? selection.toString().trim() : "";
    var anchor = selection && selection.anchorNode;
    var inLesson = anchor && article && article.contains(anchor);
    if (inLesson && text.length > 0 && text.length <= 50) {
      selected = { word: text, sentence: sentenceAround(anchor.parentElement, text) };
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
