// Operator forms: the token typed on the page goes in an Authorization header of a fetch, never
// in a cookie, so no other site can make a browser act as the operator.
"use strict";
(function () {
  var result = document.getElementById("op-result");
  var token = document.getElementById("op-token");
  if (!result || !token) return;

  function body(form) {
    if (form.id !== "register") return undefined;
    var reg = { cardUrl: form.querySelector("[name=cardUrl]").value.trim() };
    var bps = form.querySelector("[name=feeBps]").value.trim();
    if (bps) reg.fee = { bps: Number(bps) };
    return JSON.stringify(reg);
  }

  document.querySelectorAll("form.op-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var headers = { Accept: "application/json", Authorization: "Bearer " + token.value.trim() };
      var payload = body(form);
      if (payload) headers["Content-Type"] = "application/json";
      result.className = "notice";
      result.textContent = "Sending…";
      fetch(form.getAttribute("data-url"), { method: form.getAttribute("data-method"),
          headers: headers, body: payload, credentials: "omit" })
        .then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (json) {
            result.setAttribute("data-status", String(r.status));
            if (r.ok) {
              result.className = "notice ok";
              result.textContent = "Done (HTTP " + r.status + "): " + (json.name || json.id || "ok") + ".";
              if (form.id === "register" && json.id) {
                result.appendChild(document.createTextNode(" "));
                var a = document.createElement("a");
                a.href = "/providers/" + encodeURIComponent(json.id);
                a.textContent = "Open the provider";
                result.appendChild(a);
              }
            } else {
              result.className = "notice bad";
              result.textContent = "Refused (HTTP " + r.status + "): " + (json.message || json.error || "no reason given") + ".";
            }
          });
        })
        .catch(function (err) {
          result.className = "notice bad";
          result.textContent = "Could not reach the server: " + err.message;
        });
    });
  });
})();
