/* Integer types shared by the programs. */
#ifndef FIRMWARE_TYPES_H
#define FIRMWARE_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;

#endif
