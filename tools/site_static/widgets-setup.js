// Loaded on pages with widgets, after RequireJS and before the ipywidgets embed manager
// (nb_ipywidgets_js in _config.yml). It makes the embed manager work offline, with the
// MathJax 3 that Sphinx loads.
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  if (!here) {
    return;
  }
  var staticRoot = here.slice(0, here.lastIndexOf("/") + 1); // .../_static/
  var widgets = staticRoot + "widgets/";

  // RequireJS resolves module names against baseUrl. The widget modules we use are all
  // defined inside embed-amd.js, but each looks for its icon fonts next to the URL that
  // RequireJS gives its name; these paths put every name in html-manager/dist/, where the
  // fonts are (the longest matching prefix wins, so .../dist/* names stay as they are).
  // A third-party widget module would be looked up under widgets/missing-module/ on this
  // host (a 404 the site test reports), never on a CDN.
  var dist = "@jupyter-widgets/html-manager/dist";
  var paths = {};
  ["base", "base7", "controls", "controls7", "output", "html-manager"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = dist + "/" + name;
  });
  paths[dist] = dist;
  window.requirejs.config({ baseUrl: widgets, paths: paths });
  window.__jupyter_widgets_assets_path__ = widgets + dist + "/";

  // The embed manager typesets widget labels with MathJax 2's MathJax.Hub.Queue, which
  // MathJax 3 does not have (every labelled widget would throw "reading 'Queue'").
  // Translate those calls to MathJax 3's typesetPromise once MathJax has loaded (its
  // script is deferred, so it has run by DOMContentLoaded; widgets render on load).
  function installHubShim() {
    var mathjax = window.MathJax;
    if (!mathjax || mathjax.Hub || typeof mathjax.typesetPromise !== "function") {
      return;
    }
    mathjax.Hub = {
      Queue: function (job) {
        var element = Array.isArray(job) ? job[2] : undefined;
        if (!element) {
          return;
        }
        mathjax.startup.promise
          .then(function () {
            return mathjax.typesetPromise([element]);
          })
          .catch(function (error) {
            console.error("MathJax could not typeset a widget label:", error);
          });
      },
    };
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", installHubShim);
  } else {
    installHubShim();
  }
})();
