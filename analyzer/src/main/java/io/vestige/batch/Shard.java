package io.vestige.batch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * A disjoint, stable part of a batch: item {@code id} belongs to shard {@code SHA-256(id) mod count}, so an
 * item stays in the same shard when others are added or removed. Read from {@code --shard I/N},
 * Slurm ({@code SLURM_ARRAY_TASK_ID}/{@code SLURM_ARRAY_TASK_COUNT}, with {@code SLURM_ARRAY_TASK_MIN} as
 * the base) or a Kubernetes Indexed Job ({@code JOB_COMPLETION_INDEX} with the count from
 * {@code --shard-count} or {@code VESTIGE_SHARD_COUNT}).
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " is out of range (0 <= I < N)");
        }
    }

    public static Shard parse(String spec) {
        String[] p = spec.split("/");
        if (p.length != 2) {
            throw new IllegalArgumentException("--shard takes I/N, e.g. 0/4; got " + spec);
        }
        return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
    }

    /** The shard from scheduler environment variables, or null if none is set. */
    public static Shard fromEnvironment(Map<String, String> env, Integer countOption) {
        String slurmId = env.get("SLURM_ARRAY_TASK_ID");
        String slurmCount = env.get("SLURM_ARRAY_TASK_COUNT");
        if (slurmId != null && slurmCount != null) {
            int min = env.get("SLURM_ARRAY_TASK_MIN") == null ? 0 : Integer.parseInt(env.get("SLURM_ARRAY_TASK_MIN").trim());
            return new Shard(Integer.parseInt(slurmId.trim()) - min, Integer.parseInt(slurmCount.trim()));
        }
        String k8s = env.get("JOB_COMPLETION_INDEX");
        if (k8s != null) {
            Integer n = countOption;
            if (n == null && env.get("VESTIGE_SHARD_COUNT") != null) {
                n = Integer.parseInt(env.get("VESTIGE_SHARD_COUNT").trim());
            }
            if (n == null) {
                throw new IllegalArgumentException("JOB_COMPLETION_INDEX is set but the shard count is not: pass --shard-count N"
                        + " or set VESTIGE_SHARD_COUNT (the Job's completions)");
            }
            return new Shard(Integer.parseInt(k8s.trim()), n);
        }
        return null;
    }

    public boolean owns(String id) {
        if (count == 1) {
            return true;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            long v = ((h[0] & 0xffL) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff));
            return v % count == index;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
