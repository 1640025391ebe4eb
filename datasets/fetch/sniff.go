package fetch

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
)

// NotTable names the kind of content in a file's first bytes when it is
// plainly not a table: a document, an image, an archive, a program. It
// returns "" for anything that may hold a table (text, spreadsheets, data
// formats, gzip, which may wrap CSV or JSON). htmlOK says an HTML page is
// expected (the file is named or served as HTML).
func NotTable(head []byte, htmlOK bool) string {
	for _, m := range magics {
		if len(head) >= m.at+len(m.magic) && bytes.Equal(head[m.at:m.at+len(m.magic)], m.magic) {
			return m.what
		}
	}
	if !htmlOK && isHTMLPage(head) {
		return "an HTML web page (perhaps an error or login page)"
	}
	return ""
}

var magics = []struct {
	at    int
	magic []byte
	what  string
}{
	{0, []byte("%PDF-"), "a PDF document"},
	{0, []byte("{\\rtf"), "an RTF document"},
	{0, []byte("%!PS"), "a PostScript document"},
	{0, []byte("\x89PNG\r\n\x1a\n"), "a PNG image"},
	{0, []byte{0xFF, 0xD8, 0xFF}, "a JPEG image"},
	{0, []byte("GIF87a"), "a GIF image"},
	{0, []byte("GIF89a"), "a GIF image"},
	{8, []byte("WEBP"), "a WebP image"},
	{0, []byte("II*\x00"), "a TIFF image"},
	{0, []byte("MM\x00*"), "a TIFF image"},
	{4, []byte("ftyp"), "a video or image (MP4/HEIF)"},
	{0, []byte("ID3\x03"), "an MP3 audio file"},
	{0, []byte("ID3\x04"), "an MP3 audio file"},
	{0, []byte("OggS"), "an Ogg audio or video file"},
	{0, []byte("7z\xBC\xAF\x27\x1C"), "a 7-Zip archive"},
	{0, []byte("Rar!\x1A\x07"), "a RAR archive"},
	{4, []byte("\x31\x41\x59\x26\x53\x59"), "a bzip2-compressed file"},
	{0, []byte("\xFD7zXZ\x00"), "an xz-compressed file"},
	{0, []byte{0x28, 0xB5, 0x2F, 0xFD}, "a Zstandard-compressed file"},
	{257, []byte("ustar"), "a tar archive"},
	{0, []byte("SQLite format 3\x00"), "an SQLite database"},
	{0, []byte("\x7fELF"), "a program (ELF executable)"},
	{0, []byte("\xCA\xFE\xBA\xBE"), "a Java class or Mach-O program"},
	{0, []byte("wOFF"), "a web font"},
}

// isHTMLPage reports whether text starts like an HTML page (a doctype or
// <html> element, after white space and comments).
func isHTMLPage(head []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	for bytes.HasPrefix(t, []byte("<!--")) {
		end := bytes.Index(t, []byte("-->"))
		if end < 0 {
			return false
		}
		t = bytes.TrimLeft(t[end+3:], " \t\r\n")
	}
	lower := strings.ToLower(string(t[:min(len(t), 64)]))
	return strings.HasPrefix(lower, "<!doctype html") || strings.HasPrefix(lower, "<html") || strings.HasPrefix(lower, "<head")
}

// ZipKind names what a ZIP file holds: "" for an Excel workbook, else a
// Word document, a PowerPoint presentation, an OpenDocument file or a plain
// archive. A file that is not a readable ZIP also gives "" (the workbook
// reader explains what is wrong with it).
func ZipKind(r io.ReaderAt, size int64) string {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return ""
	}
	has := func(prefix string) bool {
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, prefix) {
				return true
			}
		}
		return false
	}
	switch {
	case has("xl/"):
		return ""
	case has("word/"):
		return "a Word document (.docx)"
	case has("ppt/"):
		return "a PowerPoint presentation (.pptx)"
	case has("mimetype") && has("content.xml"):
		return "an OpenDocument file (use .xlsx or CSV for spreadsheets)"
	}
	return "a ZIP archive"
}
