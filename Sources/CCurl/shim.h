#ifndef TETHER_CCURL_SHIM_H
#define TETHER_CCURL_SHIM_H

#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
   These typed wrappers are the only way Tether reaches them. */

static inline CURLcode tether_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tether_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tether_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tether_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/* Copies the bytes: libcurl keeps its own copy (CURL_BLOB_COPY), so the caller's buffer
   may go away as soon as this returns. */
static inline CURLcode tether_curl_easy_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length) {
    struct curl_blob blob;
    blob.data = (void *)data;
    blob.len = length;
    blob.flags = CURL_BLOB_COPY;
    return curl_easy_setopt(handle, option, &blob);
}

typedef size_t (*tether_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);
typedef int (*tether_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                             curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode tether_curl_easy_setopt_write_callback(CURL *handle, tether_curl_data_callback callback, void *userdata) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_WRITEDATA, userdata);
}

static inline CURLcode tether_curl_easy_setopt_header_callback(CURL *handle, tether_curl_data_callback callback, void *userdata) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_HEADERDATA, userdata);
}

static inline CURLcode tether_curl_easy_setopt_xferinfo_callback(CURL *handle, tether_curl_xferinfo_callback callback, void *userdata) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
    if (code != CURLE_OK) return code;
    code = curl_easy_setopt(handle, CURLOPT_XFERINFODATA, userdata);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
}

static inline CURLcode tether_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode tether_curl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline long tether_curl_global_init_all(void) {
    return (long)curl_global_init(CURL_GLOBAL_ALL);
}

static inline long tether_curl_http_version_2tls(void) { return (long)CURL_HTTP_VERSION_2TLS; }
static inline long tether_curl_http_version_1_1(void) { return (long)CURL_HTTP_VERSION_1_1; }

static inline long tether_curl_http_version_2_0(void) { return (long)CURL_HTTP_VERSION_2_0; }
static inline curl_version_info_data *tether_curl_version_info(void) { return curl_version_info(CURLVERSION_NOW); }

/* CURLMsg carries its result in a union; these read it without touching the union from Swift. */
static inline int tether_curl_msg_is_done(const CURLMsg *message) { return message->msg == CURLMSG_DONE; }
static inline CURLcode tether_curl_msg_result(const CURLMsg *message) { return message->data.result; }

/* curl_multi_setopt is variadic too. */
static inline CURLMcode tether_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

#endif
