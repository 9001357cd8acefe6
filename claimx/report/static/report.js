// The review page's only script, inlined by claimx/report/page.py and pinned by its sha256 in the page's CSP.
// It reads the claims from the JSON block of each article and only ever sets textContent, never HTML.
(function () {
  "use strict";
  function setup(doc) {
    var dataEl = doc.querySelector("script.claimx-data");
    if (!dataEl) { return; }
    var data = JSON.parse(dataEl.textContent);
    var claims = data.claims;
    var colours = data.colours || {};
    var keys = Object.keys(claims);
    var cards = new Map();
    doc.querySelectorAll(".lists .card").forEach(function (card) { cards.set(card.dataset.key, card); });
    var segs = Array.prototype.slice.call(doc.querySelectorAll(".seg"));
    var panel = doc.querySelector(".selected");
    var claimantSel = doc.querySelector("select.f-claimant");
    var stanceBoxes = Array.prototype.slice.call(doc.querySelectorAll("input.f-stance"));
    var groundedBox = doc.querySelector("input.f-grounded");
    var countEl = doc.querySelector(".f-count");
    var visible = new Set(keys);
    var selected = [];

    function words(value) { return (value || "").split(" ").filter(function (k) { return k !== ""; }); }
    function shown(list) { return list.filter(function (k) { return visible.has(k); }); }

    function paint(seg) {
      var here = shown(words(seg.dataset.claims));
      seg.classList.toggle("hl", here.length > 0);
      seg.classList.toggle("multi", here.length > 1);
      seg.classList.toggle("sel", here.some(function (k) { return selected.indexOf(k) !== -1; }));
      var kinds = [];
      here.forEach(function (k) { if (kinds.indexOf(claims[k].stance) === -1) { kinds.push(claims[k].stance); } });
      if (kinds.length > 1) {
        var step = 100 / kinds.length;
        seg.style.backgroundImage = "linear-gradient(180deg, " + kinds.map(function (st, i) {
          var colour = colours[st] || "#ddd";
          return colour + " " + (i * step) + "% " + ((i + 1) * step) + "%";
        }).join(", ") + ")";
      } else {
        seg.style.backgroundImage = "";
      }
      if (here.length > 0) {
        seg.dataset.stance = claims[here[0]].stance;
        seg.dataset.active = here.join(" ");
        seg.title = here.map(function (k) { return claims[k].summary; }).join("\n\n");
        seg.tabIndex = 0;
        seg.setAttribute("role", "button");
      } else {
        delete seg.dataset.stance;
        delete seg.dataset.active;
        seg.removeAttribute("title");
        seg.removeAttribute("tabindex");
        seg.removeAttribute("role");
      }
      var starts = shown(words(seg.dataset.starts));
      if (starts.length > 0) {
        seg.dataset.mark = starts.map(function (k) { return String(claims[k].n); }).join(",");
      } else {
        delete seg.dataset.mark;
      }
    }

    function showSelected() {
      if (!panel) { return; }
      var list = shown(selected);
      var nodes = [];
      var title = document.createElement("h3");
      if (list.length === 0) {
        title.textContent = "Selected";
        var hint = document.createElement("p");
        hint.className = "hint";
        hint.textContent = selected.length > 0
          ? "The selected claims are hidden by the filters."
          : "Click a highlighted passage (or a claim below) to see the claims it carries.";
        nodes.push(title, hint);
      } else {
        title.textContent = list.length === 1 ? "Selected claim" : list.length + " claims on this passage";
        nodes.push(title);
        list.forEach(function (k) {
          var card = cards.get(k);
          if (card) {
            var copy = card.cloneNode(true);
            copy.hidden = false;
            copy.classList.add("copy");
            copy.removeAttribute("id");
            nodes.push(copy);
          }
        });
      }
      panel.replaceChildren.apply(panel, nodes);
    }

    function apply() {
      var group = claimantSel ? claimantSel.value : "";
      var stances = new Set();
      stanceBoxes.forEach(function (box) { if (box.checked) { stances.add(box.value); } });
      var groundedOnly = groundedBox ? groundedBox.checked : false;
      visible = new Set();
      keys.forEach(function (k) {
        var c = claims[k];
        var ok = (group === "" || String(c.group) === group) && stances.has(c.stance) && (!groundedOnly || c.grounded);
        if (ok) { visible.add(k); }
        var card = cards.get(k);
        if (card) { card.hidden = !ok; }
      });
      segs.forEach(paint);
      doc.querySelectorAll(".lists .cards").forEach(function (box) {
        var any = Array.prototype.some.call(box.querySelectorAll(".card"), function (c) { return !c.hidden; });
        var note = box.querySelector(".filtered-out");
        if (note) { note.hidden = any || box.querySelectorAll(".card").length === 0; }
      });
      if (countEl) { countEl.textContent = visible.size + " of " + keys.length + " claims shown"; }
      showSelected();
    }

    function select(list) {
      selected = list;
      segs.forEach(paint);
      showSelected();
    }

    function reveal(key) {
      select([key]);
      var first = segs.find(function (s) { return s.classList.contains("sel"); });
      if (first && first.scrollIntoView) { first.scrollIntoView({ block: "center" }); }
    }

    // A link to a claim (from an event view) names its card: select the claim and bring its highlight into
    // view, clearing the filters first if they hide it.
    function land() {
      var id;
      try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
      var card = id ? document.getElementById(id) : null;
      if (!card || !doc.contains(card) || !card.matches(".lists .card")) { return; }
      if (!visible.has(card.dataset.key)) {
        if (claimantSel) { claimantSel.value = ""; }
        if (groundedBox) { groundedBox.checked = false; }
        stanceBoxes.forEach(function (box) { box.checked = true; });
        apply();
      }
      reveal(card.dataset.key);
    }

    doc.addEventListener("click", function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (!target) { return; }
      var seg = target.closest(".seg.hl");
      if (seg && doc.contains(seg)) {
        select(shown(words(seg.dataset.claims)));
        return;
      }
      var card = target.closest(".lists .card");
      if (card && doc.contains(card)) { reveal(card.dataset.key); }
    });
    doc.addEventListener("keydown", function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (target && target.matches(".seg.hl") && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        select(shown(words(target.dataset.claims)));
      }
    });
    [claimantSel, groundedBox].concat(stanceBoxes).forEach(function (el) {
      if (el) { el.addEventListener("change", apply); }
    });
    apply();
    window.addEventListener("hashchange", land);
    land();
  }
  document.querySelectorAll("section.doc").forEach(setup);
  document.documentElement.dataset.ready = "1";
})();
