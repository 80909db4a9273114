/*
 * The anchor of `tributary bench suffix-array --anchor`: builds the suffix array of a file's bytes with
 * libdivsufsort and prints "<wall seconds> <process CPU seconds>" of the divsufsort() call alone; with a second
 * argument it also writes the array there (little-endian int32), which the bench compares with its own.
 * Build: gcc -O2 -o divsufsort-driver divsufsort-driver.c -ldivsufsort   (Debian: apt-get install libdivsufsort-dev)
 */
#include <divsufsort.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [SUFFIX_ARRAY_OUT]\n", argv[0]);
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    fseek(in, 0, SEEK_SET);
    unsigned char *text = malloc(n);
    int *suffixes = malloc(sizeof(int) * n);
    if (!text || !suffixes || fread(text, 1, n, in) != (size_t) n) {
        fprintf(stderr, "cannot read %s into memory\n", argv[1]);
        return 1;
    }
    fclose(in);
    /* Touch the output before timing, as a warm JVM heap has its pages: a non-zero fill, or gcc turns
       malloc + memset(0) into calloc and the page faults land inside the timed call. */
    memset(suffixes, 0xFF, sizeof(int) * n);
    double wall = seconds(CLOCK_MONOTONIC), cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
    if (divsufsort(text, suffixes, (int) n) != 0) {
        fprintf(stderr, "divsufsort failed\n");
        return 1;
    }
    printf("%.4f %.4f\n", seconds(CLOCK_MONOTONIC) - wall, seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu);
    if (argc > 2) {
        FILE *out = fopen(argv[2], "wb");
        if (!out || fwrite(suffixes, sizeof(int), n, out) != (size_t) n || fclose(out) != 0) {
            perror(argv[2]);
            return 1;
        }
    }
    return 0;
}
