package sas7bdat

import (
	"errors"
	"fmt"
)

var errOverflow = errors.New("compressed row expands past the row length")

// rleDecompress expands a row compressed with SAS's run-length scheme
// (COMPRESS=CHAR, "SASYZCRL") into dst, which has the row length. Each
// control byte holds a command in its high nibble and a length in its low
// nibble. The row must expand to exactly len(dst) bytes, which also bounds
// the work a tiny hostile row can cause.
func rleDecompress(dst, src []byte) error {
	o, i := 0, 0
	put := func(n int, b byte) error {
		if n > len(dst)-o {
			return errOverflow
		}
		for k := 0; k < n; k++ {
			dst[o+k] = b
		}
		o += n
		return nil
	}
	copyN := func(n int) error {
		if n > len(src)-i {
			return fmt.Errorf("compressed row ends inside a %d-byte literal run", n)
		}
		if n > len(dst)-o {
			return errOverflow
		}
		copy(dst[o:], src[i:i+n])
		o += n
		i += n
		return nil
	}
	next := func() (int, error) {
		if i >= len(src) {
			return 0, errors.New("compressed row ends after a control byte")
		}
		b := src[i]
		i++
		return int(b), nil
	}
	for i < len(src) {
		ctl := src[i]
		i++
		cmd, l := int(ctl>>4), int(ctl&0x0F)
		var err error
		switch cmd {
		case 0x0: // copy 64+ bytes, length in the next byte
			var b int
			if b, err = next(); err == nil {
				err = copyN(b + 64 + l*256)
			}
		case 0x1: // copy 4096+ bytes
			var b int
			if b, err = next(); err == nil {
				err = copyN(b + 64 + l*256 + 4096)
			}
		case 0x2: // copy 96+ bytes
			err = copyN(l + 96)
		case 0x4: // repeat the following byte 18+ times
			var b, v int
			if b, err = next(); err == nil {
				if v, err = next(); err == nil {
					err = put(b+18+l*256, byte(v))
				}
			}
		case 0x5: // insert 17+ '@'
			var b int
			if b, err = next(); err == nil {
				err = put(b+17+l*256, '@')
			}
		case 0x6: // insert 17+ blanks
			var b int
			if b, err = next(); err == nil {
				err = put(b+17+l*256, ' ')
			}
		case 0x7: // insert 17+ zero bytes
			var b int
			if b, err = next(); err == nil {
				err = put(b+17+l*256, 0)
			}
		case 0x8:
			err = copyN(l + 1)
		case 0x9:
			err = copyN(l + 17)
		case 0xA:
			err = copyN(l + 33)
		case 0xB:
			err = copyN(l + 49)
		case 0xC: // repeat the following byte 3+ times
			var v int
			if v, err = next(); err == nil {
				err = put(l+3, byte(v))
			}
		case 0xD:
			err = put(l+2, '@')
		case 0xE:
			err = put(l+2, ' ')
		case 0xF:
			err = put(l+2, 0)
		default:
			err = fmt.Errorf("unknown RLE command 0x%x at byte %d", cmd, i-1)
		}
		if err != nil {
			return err
		}
	}
	if o != len(dst) {
		return fmt.Errorf("compressed row expands to %d bytes, the row length is %d", o, len(dst))
	}
	return nil
}

// rdcDecompress expands a row compressed with Ross Data Compression
// (COMPRESS=BINARY, "SASYZCR2") into dst. A 16-bit control word says, bit by
// bit from the top, whether the next item is a literal byte or a command
// (short/long run, short/long back-reference into the output).
func rdcDecompress(dst, src []byte) error {
	o, i := 0, 0
	var ctl, mask uint16
	need := func(n int) error {
		if n > len(src)-i {
			return errors.New("compressed row ends inside an RDC command")
		}
		return nil
	}
	for i < len(src) {
		mask >>= 1
		if mask == 0 {
			if err := need(2); err != nil {
				return err
			}
			ctl = uint16(src[i])<<8 | uint16(src[i+1])
			i += 2
			mask = 0x8000
			if i >= len(src) {
				break
			}
		}
		if ctl&mask == 0 {
			if o >= len(dst) {
				return errOverflow
			}
			dst[o] = src[i]
			o++
			i++
			continue
		}
		cmd, cnt := int(src[i]>>4), int(src[i]&0x0F)
		i++
		switch cmd {
		case 0: // short run
			if err := need(1); err != nil {
				return err
			}
			n := cnt + 3
			if n > len(dst)-o {
				return errOverflow
			}
			v := src[i]
			i++
			for k := 0; k < n; k++ {
				dst[o+k] = v
			}
			o += n
		case 1: // long run
			if err := need(2); err != nil {
				return err
			}
			n := cnt + int(src[i])<<4 + 19
			v := src[i+1]
			i += 2
			if n > len(dst)-o {
				return errOverflow
			}
			for k := 0; k < n; k++ {
				dst[o+k] = v
			}
			o += n
		case 2: // long back-reference
			if err := need(2); err != nil {
				return err
			}
			back := cnt + 3 + int(src[i])<<4
			n := int(src[i+1]) + 16
			i += 2
			if err := backCopy(dst, &o, back, n); err != nil {
				return err
			}
		default: // short back-reference of cmd bytes
			if err := need(1); err != nil {
				return err
			}
			back := cnt + 3 + int(src[i])<<4
			i++
			if err := backCopy(dst, &o, back, cmd); err != nil {
				return err
			}
		}
	}
	if o != len(dst) {
		return fmt.Errorf("compressed row expands to %d bytes, the row length is %d", o, len(dst))
	}
	return nil
}

func backCopy(dst []byte, o *int, back, n int) error {
	if back > *o || back <= 0 {
		return fmt.Errorf("RDC back-reference %d bytes before output position %d", back, *o)
	}
	if n > len(dst)-*o {
		return errOverflow
	}
	s := *o - back
	for k := 0; k < n; k++ {
		dst[*o+k] = dst[s+k]
	}
	*o += n
	return nil
}
