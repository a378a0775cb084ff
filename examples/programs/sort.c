/* Insertion sort, in place, of the little-endian u32 array that fills the
 * input (len / 4 elements; a trailing partial element is left alone).
 * Returns the number of element moves, which equals the number of inversions
 * of the original array.
 */
#include "common.h"

/* Inserts a[n] into the sorted prefix a[0..n); returns the elements moved. */
static NOINLINE u64 insert(u32 *a, u64 n)
{
	u32 key = a[n];
	u64 j = n;
	while (j > 0 && a[j - 1] > key) {
		a[j] = a[j - 1];
		j--;
	}
	a[j] = key;
	return n - j;
}

SEC("socket")
u64 sort(u32 *a, u64 len)
{
	u64 n = len / 4;
	u64 moves = 0;
	for (u64 i = 1; i < n; i++)
		moves += insert(a, i);
	return moves;
}
