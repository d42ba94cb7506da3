#ifndef STORECTL_SHA256_H
#define STORECTL_SHA256_H

#include <stddef.h>
#include <stdint.h>

/*
 * SHA-256 (FIPS 180-4), small and dependency-free: used to store bearer
 * tokens hashed. Not for passwords (no salt, no stretching): tokens are
 * long random strings, so a plain hash is enough to keep them out of the
 * database in the clear.
 */

#define SHA256_SIZE 32

struct sha256 {
	uint32_t h[8];
	uint64_t len;        /* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Writes the digest to out and leaves c to be initialised again. */
void sha256_final(struct sha256 *c, unsigned char out[SHA256_SIZE]);

/* The digest of data[0..len) in one call. */
void sha256(const void *data, size_t len, unsigned char out[SHA256_SIZE]);

/* Lower-case hex of a digest into hex (65 bytes with the NUL). */
void sha256_hex(const unsigned char digest[SHA256_SIZE], char hex[65]);

/*
 * 1 when a and b (n bytes each) are equal. Takes the same time wherever
 * they differ, so comparing secrets leaks nothing through timing.
 */
int sha256_equal_ct(const unsigned char *a, const unsigned char *b, size_t n);

#endif
