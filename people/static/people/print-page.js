// The "Напечатать" button of printable pages (a static file: the Content-Security-Policy allows no inline script).
document.getElementById("print-page")?.addEventListener("click", () => window.print());
