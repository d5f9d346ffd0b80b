// The queue's filters apply through htmx without reloading the page, so the "Download CSV"
// link, rendered with the filters of the page as loaded, takes the form's current values when
// it is followed. Without JavaScript every filter change reloads the page and the link is right.
(function () {
  var link = document.getElementById("queue-export");
  var form = document.querySelector("form.app-queue-filters");
  if (!link || !form) return;
  link.addEventListener("click", function () {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value) params.append(name, value);
    });
    params.set("format", "csv");
    link.href = link.pathname + "?" + params.toString();
  });
})();
