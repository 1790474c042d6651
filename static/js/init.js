// Starts GOV.UK Frontend's components. A file rather than an inline script, so that the content
// security policy needs no per-request nonce and public pages stay byte-identical.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
