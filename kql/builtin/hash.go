package builtin

// This file holds the hash functions.

import "github.com/vigil-hunt/vigil/kql/types"

var hashFuncs = []*Func{
	fn("hash", returns(types.Long), "A 64-bit hash of a value (xxhash64 today), optionally modulo a number.",
		req("source", AnyScalar), opt("mod", IntegerArg)),
	fn("hash_xxhash64", returns(types.Long), "The xxhash64 of a value, optionally modulo a number.",
		req("source", AnyScalar), opt("mod", IntegerArg)),
	fn("hash_crc32", returns(types.Long), "The CRC32 of a value, optionally modulo a number.",
		req("source", AnyScalar), opt("mod", IntegerArg)),
	fn("hash_md5", returns(types.String), "The MD5 of a value as a hex string.", req("source", AnyScalar)),
	fn("hash_sha1", returns(types.String), "The SHA-1 of a value as a hex string.", req("source", AnyScalar)),
	fn("hash_sha256", returns(types.String), "The SHA-256 of a value as a hex string.", req("source", AnyScalar)),
	fn("hash_combine", returns(types.Long), "Combines two or more hash values into one.",
		req("hash1", IntegerArg), many("hash", IntegerArg)),
	fn("hash_many", returns(types.Long), "One hash of several values together.", many("value", AnyScalar)),
}
