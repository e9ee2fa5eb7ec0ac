/*
 * The state machine as GET /state-machine describes it, drawn as SVG with dagre's layered layout, and the path an
 * execution took through it, derived from the execution's history. Nothing here knows the workflow's states: a state
 * added to the routes appears as soon as the model has it.
 *
 * Every text is set with textContent or as an attribute value, never parsed as markup.
 */
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  var EDGE = '\u0000';
  var START = 'Start';

  /**
   * What the execution did in each state of the model: passed, failed (the failing end), waiting (where a running
   * execution stands), cancelled (a cancellation's end) or none; and the transitions it took.
   *
   * The history names the states it entered and left; choice states never appear in it. A step from one recorded
   * state to the next went through the choice states between them: the shortest way from the one to the other
   * through choice states only is taken to be the path (the contract: a choice passed when the states before and
   * after it both appear, in that order).
   */
  function derive(model, events, executionStatus) {
    var byName = new Map();
    model.states.forEach(function (state) { byName.set(state.name, state); });
    var outgoing = new Map();
    model.transitions.forEach(function (transition) {
      if (!outgoing.has(transition.from)) {
        outgoing.set(transition.from, []);
      }
      outgoing.get(transition.from).push(transition);
    });

    var visits = [];
    events.forEach(function (event) {
      if (event.type === 'ENTERED' && visits[visits.length - 1] !== event.state) {
        visits.push(event.state);
      }
    });

    var status = new Map();
    var taken = new Set();
    var unknown = [];
    visits.forEach(function (name) {
      if (byName.has(name)) {
        status.set(name, 'passed');
      } else if (unknown.indexOf(name) < 0) {
        unknown.push(name);
      }
    });
    for (var i = 0; i + 1 < visits.length; i++) {
      var way = throughChoices(visits[i], visits[i + 1], byName, outgoing);
      for (var j = 0; j + 1 < way.length; j++) {
        taken.add(way[j] + EDGE + way[j + 1]);
        if (j > 0) {
          status.set(way[j], 'passed');
        }
      }
    }

    var last = visits[visits.length - 1];
    var end = null;
    if (last !== undefined && byName.has(last)) {
      if (executionStatus === 'RUNNING') {
        status.set(last, 'waiting');
        end = last;
      } else if (executionStatus === 'CANCELLED') {
        status.set(last, 'cancelled');
        end = last;
      } else if (executionStatus === 'FAILED' && byName.get(last).type === 'fail') {
        status.set(last, 'failed');
        end = last;
      } else if (executionStatus === 'SUCCEEDED') {
        end = last;
      }
    }
    return {
      status: status,
      taken: taken,
      visits: visits,
      unknown: unknown,
      end: end,
      started: visits.length > 0 && visits[0] === model.startAt
    };
  }

  /** The states from one recorded state to the next: [from, choice..., to], or [] when no such way exists. */
  function throughChoices(from, to, byName, outgoing) {
    var queue = [[from]];
    var seen = new Set([from]);
    while (queue.length > 0) {
      var way = queue.shift();
      var at = way[way.length - 1];
      var next = outgoing.get(at) || [];
      for (var k = 0; k < next.length; k++) {
        var target = next[k].to;
        if (target === to) {
          return way.concat([to]);
        }
        var state = byName.get(target);
        if (state && state.type === 'choice' && !seen.has(target)) {
          seen.add(target);
          queue.push(way.concat([target]));
        }
      }
    }
    return [];
  }

  function svg(tag, attributes) {
    var element = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (name) {
      element.setAttribute(name, String(attributes[name]));
    });
    return element;
  }

  function text(content, attributes) {
    var element = svg('text', attributes);
    element.textContent = content;
    return element;
  }

  /** Widths of texts as the page's font draws them, in the off-screen SVG of index.html. */
  function measurer() {
    var host = document.getElementById('measure');
    return function (content, className) {
      var probe = text(content, className ? { 'class': className } : {});
      host.appendChild(probe);
      var width = probe.getComputedTextLength();
      host.removeChild(probe);
      return width;
    };
  }

  /**
   * Draws the model into the container, each state a focusable <g> with data-state, data-type and data-status, each
   * transition a <path> with data-from, data-to and data-taken. onSelect(name) is called when a state is chosen.
   */
  function render(container, model, path, onSelect) {
    var measure = measurer();
    var graph = new dagre.graphlib.Graph({ multigraph: true });
    graph.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 34, edgesep: 12, marginx: 12, marginy: 12 });
    graph.setDefaultEdgeLabel(function () { return {}; });

    graph.setNode(START, { pseudo: true, width: 46, height: 46 });
    model.states.forEach(function (state) {
      var lines = [state.name];
      if (state.type === 'fail' && state.error) {
        lines.push(state.error);
      }
      var width = Math.max(measure(state.name), state.error ? measure(state.error, 'sub') : 0);
      graph.setNode(state.name, {
        state: state,
        lines: lines,
        width: Math.ceil(width) + (state.type === 'choice' ? 44 : 28),
        height: lines.length > 1 ? 48 : 34
      });
    });
    graph.setEdge(START, model.startAt, { from: START, to: model.startAt }, 'start');
    model.transitions.forEach(function (transition, index) {
      var label = { from: transition.from, to: transition.to, condition: transition.condition };
      if (transition.condition) {
        label.width = Math.ceil(measure(transition.condition, 'sub')) + 8;
        label.height = 16;
        label.labelpos = 'c';
      }
      graph.setEdge(transition.from, transition.to, label, 't' + index);
    });
    dagre.layout(graph);

    var size = graph.graph();
    var root = svg('svg', {
      xmlns: SVG,
      viewBox: '0 0 ' + Math.ceil(size.width) + ' ' + Math.ceil(size.height),
      width: Math.ceil(size.width),
      height: Math.ceil(size.height),
      role: 'group',
      'aria-labelledby': 'graph-title'
    });
    var defs = svg('defs');
    defs.appendChild(arrowHead('arrow', ''));
    defs.appendChild(arrowHead('arrow-taken', 'taken'));
    root.appendChild(defs);

    var edgeLayer = svg('g', { 'class': 'edges' });
    graph.edges().forEach(function (key) {
      var edge = graph.edge(key);
      var isTaken = edge.from === START ? path.started : path.taken.has(edge.from + EDGE + edge.to);
      var d = curve(edge.points);
      edgeLayer.appendChild(svg('path', {
        d: d,
        'class': 'edge' + (isTaken ? ' taken' : ''),
        'marker-end': 'url(#' + (isTaken ? 'arrow-taken' : 'arrow') + ')',
        'data-from': edge.from,
        'data-to': edge.to,
        'data-taken': isTaken ? 'true' : 'false'
      }));
      if (edge.condition) {
        var label = svg('g', { 'class': 'edge-label' + (isTaken ? ' taken' : ''), 'aria-hidden': 'true' });
        label.appendChild(svg('rect', {
          x: round(edge.x - edge.width / 2), y: round(edge.y - edge.height / 2),
          width: edge.width, height: edge.height, rx: 3
        }));
        label.appendChild(text(edge.condition, {
          x: round(edge.x), y: round(edge.y + 4), 'text-anchor': 'middle', 'class': 'sub'
        }));
        edgeLayer.appendChild(label);
      }
    });
    root.appendChild(edgeLayer);

    var nodeLayer = svg('g', { 'class': 'nodes' });
    graph.nodes().forEach(function (name) {
      var node = graph.node(name);
      if (node.pseudo) {
        nodeLayer.appendChild(pseudoNode(name, node, path.started));
        return;
      }
      nodeLayer.appendChild(stateNode(node, path.status.get(name) || 'none', onSelect));
    });
    root.appendChild(nodeLayer);

    container.replaceChildren(root);
  }

  function stateNode(node, status, onSelect) {
    var state = node.state;
    var group = svg('g', {
      'class': 'state type-' + state.type + ' status-' + status,
      'data-state': state.name,
      'data-type': state.type,
      'data-status': status,
      tabindex: 0,
      role: 'button',
      // the visible text first (the name, and a failure end's error), then what it is and what happened there
      'aria-label': node.lines.join(' ') + ', ' + describeType(state.type) + ', ' + describeStatus(status)
    });
    var x = node.x - node.width / 2;
    var y = node.y - node.height / 2;
    group.appendChild(svg('rect', {
      'class': 'shape', x: round(x), y: round(y), width: node.width, height: node.height,
      rx: state.type === 'choice' ? node.height / 2 : 5
    }));
    var title = svg('title');
    title.textContent = state.name + ' (' + describeType(state.type) + '): ' + describeStatus(status);
    group.appendChild(title);
    // one text, a line per tspan, a space between them: its text reads as the accessible name does
    var label = svg('text', { x: round(node.x), y: round(node.y + (node.lines.length === 1 ? 4.5 : -3)),
      'text-anchor': 'middle' });
    node.lines.forEach(function (line, index) {
      if (index > 0) {
        label.appendChild(document.createTextNode(' '));
      }
      var span = svg('tspan', index === 0 ? {} : { x: round(node.x), dy: 16, 'class': 'sub' });
      span.textContent = line;
      label.appendChild(span);
    });
    group.appendChild(label);
    group.addEventListener('click', function () { onSelect(state.name); });
    group.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onSelect(state.name);
      }
    });
    return group;
  }

  function pseudoNode(name, node, reached) {
    var group = svg('g', { 'class': 'pseudo' + (reached ? ' reached' : ''), 'data-pseudo': name.toLowerCase(),
      'aria-hidden': 'true' });
    group.appendChild(svg('circle', { cx: round(node.x), cy: round(node.y), r: 22 }));
    group.appendChild(text(name, { x: round(node.x), y: round(node.y + 4), 'text-anchor': 'middle' }));
    return group;
  }

  function arrowHead(id, className) {
    var marker = svg('marker', {
      id: id, 'class': className, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9,
      markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse'
    });
    marker.appendChild(svg('path', { d: 'M0 0 L10 5 L0 10 z' }));
    return marker;
  }

  /** A smooth path through the layout's points (a uniform B-spline, as d3's curveBasis draws it). */
  function curve(points) {
    var p = points.map(function (point) { return [round(point.x), round(point.y)]; });
    if (p.length < 3) {
      return 'M' + p[0].join(' ') + ' L' + p[p.length - 1].join(' ');
    }
    var d = 'M' + p[0].join(' ') + ' L' + xy((5 * p[0][0] + p[1][0]) / 6, (5 * p[0][1] + p[1][1]) / 6);
    for (var i = 1; i < p.length - 1; i++) {
      var a = p[i - 1];
      var b = p[i];
      var c = p[i + 1];
      d += ' C' + xy((2 * a[0] + b[0]) / 3, (2 * a[1] + b[1]) / 3) + ' ' + xy((a[0] + 2 * b[0]) / 3, (a[1] + 2 * b[1]) / 3)
          + ' ' + xy((a[0] + 4 * b[0] + c[0]) / 6, (a[1] + 4 * b[1] + c[1]) / 6);
    }
    var y = p[p.length - 2];
    var z = p[p.length - 1];
    d += ' C' + xy((2 * y[0] + z[0]) / 3, (2 * y[1] + z[1]) / 3) + ' ' + xy((y[0] + 2 * z[0]) / 3, (y[1] + 2 * z[1]) / 3)
        + ' ' + xy(z[0], z[1]);
    return d;
  }

  function xy(x, y) {
    return round(x) + ' ' + round(y);
  }

  function round(value) {
    return Math.round(value * 10) / 10;
  }

  function describeType(type) {
    return { task: 'task', choice: 'choice', wait: 'waiting state', succeed: 'success end', fail: 'failure end' }[type]
        || type;
  }

  function describeStatus(status) {
    return { passed: 'passed', failed: 'failed here', waiting: 'waiting here', cancelled: 'cancelled here',
      none: 'not taken' }[status] || status;
  }

  window.ConsoleGraph = {
    derive: derive,
    render: render,
    describeType: describeType,
    describeStatus: describeStatus,
    EDGE: EDGE
  };
}());
