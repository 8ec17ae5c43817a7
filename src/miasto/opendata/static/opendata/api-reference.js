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
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
    defaultModelsExpandDepth: 0,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
