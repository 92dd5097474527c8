package sweep

import "fmt"

// joeKuo holds the Joe–Kuo (2008, new-joe-kuo-6.21201) primitive
// polynomials and initial direction numbers of dimensions 2 to 21, as
// {s, a, m_1, ..., m_s}. Dimension 1 is the van der Corput sequence.
var joeKuo = [][]uint32{
	{1, 0, 1},
	{2, 1, 1, 3},
	{3, 1, 1, 3, 1},
	{3, 2, 1, 1, 1},
	{4, 1, 1, 1, 3, 3},
	{4, 4, 1, 3, 5, 13},
	{5, 2, 1, 1, 5, 5, 17},
	{5, 4, 1, 1, 5, 5, 5},
	{5, 7, 1, 1, 7, 11, 19},
	{5, 11, 1, 1, 5, 1, 1},
	{5, 13, 1, 1, 1, 3, 11},
	{5, 14, 1, 3, 5, 5, 31},
	{6, 1, 1, 3, 3, 9, 7, 49},
	{6, 13, 1, 1, 1, 15, 21, 21},
	{6, 16, 1, 3, 1, 13, 27, 49},
	{6, 19, 1, 1, 1, 15, 7, 5},
	{6, 22, 1, 3, 1, 15, 13, 25},
	{6, 25, 1, 1, 5, 5, 19, 61},
	{7, 1, 1, 3, 7, 11, 23, 15, 103},
	{7, 4, 1, 3, 7, 13, 13, 15, 69},
}

// MaxSobolDim is the largest dimension the Sobol generator supports.
const MaxSobolDim = 21

const sobolBits = 32

// Sobol generates the (unscrambled) Sobol low-discrepancy sequence with
// Joe–Kuo direction numbers, in Gray-code order (Antonov–Saleev). Its first
// point is the origin.
type Sobol struct {
	v [][sobolBits]uint32
	x []uint32
	n uint64
}

// NewSobol returns a generator of dim-dimensional points, 1 <= dim <=
// MaxSobolDim.
func NewSobol(dim int) (*Sobol, error) {
	if dim < 1 || dim > MaxSobolDim {
		return nil, fmt.Errorf("sweep: Sobol sequences of %d dimensions are not supported (1 to %d)", dim, MaxSobolDim)
	}
	s := &Sobol{v: make([][sobolBits]uint32, dim), x: make([]uint32, dim)}
	for k := 0; k < sobolBits; k++ {
		s.v[0][k] = 1 << (sobolBits - 1 - k)
	}
	for j := 1; j < dim; j++ {
		jk := joeKuo[j-1]
		deg, a, m := int(jk[0]), jk[1], jk[2:]
		v := &s.v[j]
		for k := 0; k < deg && k < sobolBits; k++ {
			v[k] = m[k] << (sobolBits - 1 - k)
		}
		for k := deg; k < sobolBits; k++ {
			x := v[k-deg] ^ (v[k-deg] >> deg)
			for l := 1; l < deg; l++ {
				if (a>>(deg-1-l))&1 == 1 {
					x ^= v[k-l]
				}
			}
			v[k] = x
		}
	}
	return s, nil
}

// Next writes the next point into dst (len dim), in [0, 1).
func (s *Sobol) Next(dst []float64) {
	if s.n > 0 {
		c := 0
		for i := s.n - 1; i&1 == 1; i >>= 1 {
			c++
		}
		for j := range s.x {
			s.x[j] ^= s.v[j][c]
		}
	}
	s.n++
	for j, x := range s.x {
		dst[j] = float64(x) / (1 << sobolBits)
	}
}
