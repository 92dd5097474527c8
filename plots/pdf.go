package plots

import (
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// pdfDate is the CreationDate and ModDate of every PDF chart: the Unix
// epoch, so that the same chart gives the same bytes whenever it is drawn
// (fpdf otherwise stamps the time of writing).
var pdfDate = time.Unix(0, 0).UTC()

// gonum/plot's vgpdf canvas keeps its fpdf document to itself, so the
// settings go through fpdf's package defaults, which every new document
// (vgpdf.New) copies: a fixed creation and modification date, and the
// font and image catalogs written in sorted order rather than Go's random
// map order (which reorders the objects of a chart with several fonts).
// They are set once, here, before any chart is drawn, so concurrent Saves
// only read them. Nothing else in Parley writes PDFs with fpdf.
func init() {
	fpdf.SetDefaultCreationDate(pdfDate)
	fpdf.SetDefaultModificationDate(pdfDate)
	fpdf.SetDefaultCatalogSort(true)
}
