// Loaded at the top of <body>, before it renders: tells nhsuk-frontend's styles that
// JavaScript runs and whether the browser supports its components (the design system's
// snippet, in a file because the Content-Security-Policy allows no inline script).
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
