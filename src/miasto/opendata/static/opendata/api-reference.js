/* The /api/ page: Swagger UI over the site's own OpenAPI document (no inline script, so
   the page keeps the site's Content-Security-Policy). */
(function () {
  "use strict";
  const node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: node.dataset.url,
    domNode: node,
    // deep links put a link inside each operation's toggle button (nested controls)
    deepLinking: false,
    validatorUrl: null,
    tryItOutEnabled: false,
    defaultModelsExpandDepth: 0,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    onComplete: function () {
      const servers = node.querySelector("select#servers");
      if (servers) {
        servers.setAttribute("aria-label", node.dataset.serversLabel || "Server");
      }
    },
  });
})();
