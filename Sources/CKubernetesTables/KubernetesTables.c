// The generated tables are data, kept as the text files beside this one (line formats in
// scripts/gen-proto-table.py and scripts/gen-patch-schema.py) and compiled in with C23's
// #embed: no Swift literal of thousands of lines, no resource bundle to ship with the
// binary.
#include "CKubernetesTables.h"

#pragma clang diagnostic ignored "-Wc23-extensions"

static const unsigned char protobuf_table[] = {
#embed "protobuf-table.txt"
};

static const unsigned char patch_schema_table[] = {
#embed "patch-schema.txt"
};

const unsigned char *tether_protobuf_table(size_t *length) {
    *length = sizeof protobuf_table;
    return protobuf_table;
}

const unsigned char *tether_patch_schema_table(size_t *length) {
    *length = sizeof patch_schema_table;
    return patch_schema_table;
}
