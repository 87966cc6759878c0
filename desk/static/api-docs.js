// Starts Swagger UI on /api/docs (the desk's CSP allows no inline script, so the bootstrap lives here).
// The schema URL comes from the page; validatorUrl null keeps Swagger UI from calling its online
// validator, so the page needs nothing but this desk.
(function () {
  "use strict";
  const root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") return;
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.spec,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
