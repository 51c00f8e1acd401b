#ifndef TETHER_CKUBERNETESTABLES_H
#define TETHER_CKUBERNETESTABLES_H

#include <stddef.h>

/* The generated Kubernetes tables, compiled into the binary (see KubernetesTables.c).
 * Each returns the table's UTF-8 text (not NUL-terminated) and stores its length. */

/* protobuf-table.txt, written by scripts/gen-proto-table.py: ProtobufSchema.kubernetes. */
const unsigned char *tether_protobuf_table(size_t *length);

/* patch-schema.txt, written by scripts/gen-patch-schema.py: PatchSchema.kubernetes. */
const unsigned char *tether_patch_schema_table(size_t *length);

#endif
