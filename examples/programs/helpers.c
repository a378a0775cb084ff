/* Helper calls: FNV-1a (64-bit) of the input bytes, where the host supplies
 * both the starting value and the per-byte step.
 *
 * - `get_seed` is called by id (`call 1`) through the classic helper idiom:
 *   a function pointer constant.
 * - `fnv1a_step` is an undefined external function; the ELF loader resolves
 *   the call by name against the loader's builtin registry.
 *
 * With get_seed() = 0xcbf29ce484222325 and fnv1a_step(h, b) = (h ^ b) *
 * 0x100000001b3 the result is the standard FNV-1a 64 hash.
 */
#include "common.h"

static u64 (*get_seed)(void) = (void *)1;
extern u64 fnv1a_step(u64 hash, u64 byte);

SEC("socket")
u64 hash(const u8 *data, u64 len)
{
	u64 h = get_seed();
	for (u64 i = 0; i < len; i++)
		h = fnv1a_step(h, data[i]);
	return h;
}
