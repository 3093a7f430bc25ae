package docx

import "planrep/internal/testmust"

// Closing what was only read (a zip entry, a workbook opened to be read)
// and tearing down in t.Cleanup drop their errors on purpose: nothing a
// test checks depends on them.

// must stops the test when its own set-up failed (t.Fatal: the test's own
// goroutine only).
var must = testmust.OK
