"""Content-Security-Policy violations as the browser sees them.

``record_violations(context)`` returns a list that every page of the browser context fills with what the
policy blocked: each ``securitypolicyviolation`` event (reported through a Playwright binding, which the
policy does not govern) and each console message in which Chromium names the policy. Call it before the
context opens its first page.
"""

REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline code";
  const sample = event.sample ? ` (${event.sample})` : "";
  const where = event.documentURI;
  window.__reportCspViolation(`${event.effectiveDirective} blocked ${blocked} on ${where}${sample}`);
});
"""


def record_violations(context):
    found = []

    def report(violation):
        found.append(violation)

    context.expose_function("__reportCspViolation", report)
    context.add_init_script(REPORTER)

    def on_console(message):
        if "Content Security Policy" in message.text or message.text.startswith("Refused to"):
            found.append(f"console on {message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
    return found
