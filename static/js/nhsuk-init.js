// Starts nhsuk-frontend's components (header menu, skip link, error summaries...). A module of
// our own because the Content-Security-Policy allows no inline script. The import is relative,
// so it finds the design system wherever STATIC_URL puts both files.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
