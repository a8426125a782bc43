// Starts the vendored Swagger UI on /docs; a file (not an inline script) so the page keeps a
// strict Content-Security-Policy. validatorUrl null: never call swagger.io from an analyst's box.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: el.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
