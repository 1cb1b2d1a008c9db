// Draws the view whose data sits in <script type="application/json" id="kg-data">.
// Input text only ever reaches the page through DataSet values (vis-network shows titles with
// innerText and labels on the canvas), option.value and textContent; it is never parsed as HTML.
(function () {
  "use strict";
  var state = { ready: false, settled: false, settleMs: null, nodes: 0, edges: 0, cspViolations: [] };
  window.kgView = state;
  document.addEventListener("securitypolicyviolation", function (event) {
    state.cspViolations.push(event.violatedDirective + " " + (event.blockedURI || ""));
  });

  var view = JSON.parse(document.getElementById("kg-data").textContent);
  var status = document.getElementById("kg-status");
  var nodes = new vis.DataSet(view.nodes);
  var edges = new vis.DataSet(view.edges);
  state.nodes = nodes.length;
  state.edges = edges.length;

  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: [], edges: [] }, view.options);
  window.kgNetwork = network;

  function markSettled() {
    if (state.settled) { return; }
    state.settled = true;
    state.settleMs = Math.round(performance.now());
    status.textContent = "";
    document.documentElement.setAttribute("data-kg-state", "settled");
  }

  function settleAfterNextDraw() {
    network.once("afterDrawing", function () { window.requestAnimationFrame(markSettled); });
    network.redraw();
  }

  if (view.options.physics.enabled) {
    status.textContent = "Laying out…";
    network.on("stabilizationProgress", function (progress) {
      status.textContent = "Laying out… " + Math.round((100 * progress.iterations) / progress.total) + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      if (!view.keepPhysics) { network.setOptions({ physics: { enabled: false } }); }
      settleAfterNextDraw();
    });
  } else {
    network.once("afterDrawing", function () { window.requestAnimationFrame(markSettled); });
  }
  network.setData({ nodes: nodes, edges: edges });
  state.ready = true;

  // "Find a node": a datalist of full names; choosing one selects and centres the node.
  var finder = document.getElementById("kg-find");
  var list = document.getElementById("kg-names");
  var byName = {};
  view.names.forEach(function (entry) {
    var option = document.createElement("option");
    option.value = entry[1];
    list.appendChild(option);
    if (!(entry[1] in byName)) { byName[entry[1]] = entry[0]; }
  });
  finder.addEventListener("change", function () {
    var id = byName[finder.value];
    if (id === undefined) { return; }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  });
  document.getElementById("kg-fit").addEventListener("click", function () {
    network.unselectAll();
    network.fit({ animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  });
})();
