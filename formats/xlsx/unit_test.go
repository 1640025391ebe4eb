package xlsx

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"
)

func TestClassifyFormat(t *testing.T) {
	tests := []struct {
		code string
		want styleKind
	}{
		{"General", fmtNumber},
		{"0.00", fmtNumber},
		{"0.00E+00", fmtNumber},
		{`#,##0 "hrs"`, fmtNumber},
		{`0.00" days"`, fmtNumber},
		{`[Red]0.00;[Blue]-0.00`, fmtNumber},
		{`_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)`, fmtNumber},
		{`[>=100]0;0.00`, fmtNumber},
		{"@", fmtNumber},
		{"yyyy-mm-dd", fmtDate},
		{`yyyy\-mm\-dd;@`, fmtDate},
		{"mmm-yy", fmtDate},
		{`[$-409]mmmm d, yyyy`, fmtDate},
		{"DD/MM/YYYY", fmtDate},
		{"m/d/yy h:mm", fmtDateTime},
		{"dd/mm/yyyy hh:mm:ss.000", fmtDateTime},
		{"h:mm:ss", fmtTime},
		{"mm:ss", fmtTime},
		{"h:mm AM/PM", fmtTime},
		{"[h]:mm:ss", fmtElapsed},
		{"[mm]:ss", fmtElapsed},
		{`"unterminated`, fmtNumber},
		{`[unterminated`, fmtNumber},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, classifyFormat(tt.code), "format %q", tt.code)
	}
}

func TestGeneralNumber(t *testing.T) {
	tests := map[float64]string{
		0.1 + 0.2:    "0.3",
		1.5:          "1.5",
		-0.000001:    "-0.000001",
		123456789012: "123456789012",
		1e20:         "1e+20",
		1e-10:        "1e-10",
		2.0 / 3:      "0.666666666666667",
	}
	for v, want := range tests {
		require.Equal(t, want, generalNumber(v), "%v", v)
	}
	require.Equal(t, "36:00:00", formatElapsed(1.5))
	require.Equal(t, "-1:30:00.5", formatElapsed(-(1.5*3600+0.5)/86400))
	require.Equal(t, "13:45:00", formatClock(13*time.Hour+45*time.Minute))
}

func TestDecodeXString(t *testing.T) {
	require.Equal(t, "a\tb_c", decodeXString("a_x0009_b_x005F_c"))
	require.Equal(t, "_x00G1_ _x1", decodeXString("_x00G1_ _x1"))
	require.Equal(t, "bad\uFFFD", decodeXString("bad\xff"))
}

// lexAll renders the tokens of an XML text.
func lexAll(t *testing.T, r io.Reader, maxTok int) (string, error) {
	lx := newLexer(r, maxTok)
	var sb strings.Builder
	for {
		err := lx.next()
		if errors.Is(err, io.EOF) {
			return sb.String(), nil
		}
		if err != nil {
			return sb.String(), err
		}
		switch lx.kind {
		case tokStart:
			sb.WriteString("<" + string(lx.name))
			for _, a := range []string{"r", "t", "q"} {
				if v := lx.attr(a); v != nil {
					sb.WriteString(" " + a + "=" + string(v))
				}
			}
			sb.WriteString(">")
		case tokEnd:
			sb.WriteString("</" + string(lx.name) + ">")
		case tokText:
			sb.WriteString("[" + string(lx.text) + "]")
		}
	}
}

func TestLexer(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`<?xml version="1.0"?><a r="1" t='x&amp;y'>hi</a>`, `<a r=1 t=x&y>[hi]</a>`},
		{`<x:c x:r="B2" q="a>b"/>`, `<c r=B2 q=a>b></c>`},
		{`<a>&lt;&gt;&quot;&apos;&#65;&#x42;</a>`, `<a>[<>"'AB]</a>`},
		{`<a><![CDATA[<b>&amp;]]></a>`, `<a>[<b>&amp;]</a>`},
		{`<a><!-- <b> --->x</a>`, `<a>[x]</a>`},
		{"<a>1\r\n2\r3&#13;</a>", "<a>[1\n2\n3\r]</a>"},
		{`<a  t = "v" />`, `<a t=v></a>`},
	}
	for _, tt := range tests {
		got, err := lexAll(t, strings.NewReader(tt.in), 1000)
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got, tt.in)
		// The same with one byte per read, so that tokens cross refills.
		got, err = lexAll(t, iotest.OneByteReader(strings.NewReader(tt.in)), 1000)
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got, tt.in)
	}
	bad := map[string]string{
		`<!DOCTYPE a [<!ENTITY x "y">]><a/>`: "DOCTYPE",
		`<a>&bogus;</a>`:                     "unknown entity",
		`<a>&#xD800;</a>`:                    "bad character reference",
		`<a`:                                 "unterminated tag",
		`<a><![CDATA[x`:                      "unterminated CDATA",
		`<a><!-- x`:                          "unterminated comment",
		`<>`:                                 "tag without a name",
		`<a>` + strings.Repeat("x", 5000):    "too long",
	}
	for in, want := range bad {
		_, err := lexAll(t, strings.NewReader(in), 1000)
		require.ErrorContains(t, err, want, in[:min(len(in), 40)])
	}
}
