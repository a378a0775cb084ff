/* The footprint workload as C, for the image that loads an ELF object
 * (feature `elf` of ci/footprint): the same computation as the hand-encoded
 * program in src/workload.rs. Sums the 16 input bytes and returns twice the
 * sum through the image's one builtin, which the ELF loader binds by name.
 *
 * Rebuild (committed, so the footprint check needs no BPF toolchain):
 *   clang-19 -target bpfel -mcpu=v4 -O2 -Wall -Werror -c workload.c -o workload.o
 */
typedef unsigned char u8;
typedef unsigned long long u64;

/* The builtin registered as "double" (a C keyword, hence the asm label). */
extern u64 double_it(u64 value) __asm__("double");

u64 entrypoint(const u8 *input)
{
	u64 sum = 0;

#pragma nounroll
	for (int i = 0; i < 16; i++)
		sum += input[i];
	return double_it(sum);
}
