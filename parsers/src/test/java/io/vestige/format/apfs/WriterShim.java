package io.vestige.format.apfs;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Reflective access to the fixtures APFS writer ({@code io.vestige.fixtures.apfs.ApfsImageWriter},
 * written independently on another branch). Tests using it are skipped, with a message, until the
 * writer is on the test classpath, so this branch builds on its own.
 */
final class WriterShim {
    static final String WRITER = "io.vestige.fixtures.apfs.ApfsImageWriter";

    final Object writer;

    private WriterShim(Object writer) {
        this.writer = writer;
    }

    static WriterShim create(long seed) {
        try {
            Class<?> c = Class.forName(WRITER);
            return new WriterShim(c.getConstructor(long.class).newInstance(seed));
        } catch (ClassNotFoundException e) {
            Assumptions.abort("fixtures APFS writer not on the classpath yet (branch apfsw); test skipped");
            return null;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("fixtures APFS writer API changed: " + e, e);
        }
    }

    static Object call(Object target, String name, Object... args) {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length && fits(m.getParameterTypes(), args)) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    Throwable t = e.getCause();
                    if (t instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new AssertionError(t);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("fixtures APFS writer API changed: no " + name + " with " + args.length + " arguments");
    }

    private static boolean fits(Class<?>[] types, Object[] args) {
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            Object a = args[i];
            if (a == null) {
                continue;
            }
            if (t.isPrimitive()) {
                if ((t == int.class && !(a instanceof Integer)) || (t == long.class && !(a instanceof Long))
                        || (t == boolean.class && !(a instanceof Boolean))) {
                    return false;
                }
            } else if (!t.isInstance(a)) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object enumValue(String nested, String value) {
        try {
            Class c = Class.forName(WRITER + "$" + nested);
            return Enum.valueOf(c, value);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("fixtures APFS writer API changed: " + e, e);
        }
    }

    static Object times(Instant created, Instant modified, Instant changed, Instant accessed, Instant added) {
        try {
            Class<?> c = Class.forName(WRITER + "$Times");
            Constructor<?> k = c.getConstructor(Instant.class, Instant.class, Instant.class, Instant.class, Instant.class);
            return k.newInstance(created, modified, changed, accessed, added);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("fixtures APFS writer API changed: " + e, e);
        }
    }

    Object volume(String name, String role, boolean caseInsensitive) {
        return call(writer, "volume", name, enumValue("Role", role), caseInsensitive);
    }

    void commit() {
        call(writer, "commit");
    }

    @SuppressWarnings("unchecked")
    List<Long> checkpointXids() {
        return (List<Long>) call(writer, "checkpointXids");
    }

    byte[] toBytes() {
        return (byte[]) call(writer, "toBytes");
    }
}
