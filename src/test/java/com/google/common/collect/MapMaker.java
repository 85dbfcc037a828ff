package com.google.common.collect;

import com.google.common.base.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * TEST CLASSPATH ONLY: our own minimal stand-in for the Guava {@code MapMaker} API that Hudson 1.395 and Stapler 1.155
 * call, because the Hudson test harness runs Hudson and the unshaded engine in one class loader.
 *
 * <p>Why: the engine's docker-java needs Guava 33 (caches, hashing, escapers, {@code MoreObjects}), so Guava 33 is on
 * the test classpath; Stapler 1.155 ({@code Function}, {@code AbstractTearOff}, {@code JellyClassLoaderTearOff}) and
 * Hudson ({@code TestObject}) were compiled against Guava r06 and call {@code new MapMaker().weakKeys()/softValues()
 * .makeComputingMap(fn)} / {@code makeMap()}; {@code makeComputingMap} no longer exists in Guava 33, so every Jelly
 * page answered 500 {@code NoSuchMethodError}. No Guava release has both. {@code target/test-classes} precedes the
 * dependency jars on Surefire's classpath, so this class shadows Guava 33's {@code MapMaker} in tests only; Guava 33
 * code paths that docker-java uses (cache, hash, escape, collections) do not touch {@code MapMaker}. The shipped plugin
 * does not need this: its Guava is shaded and relocated. Written from the API's documented behaviour, not
 * from Guava's source. Strong references only (weak keys / soft values are accepted and ignored: a test JVM is
 * short-lived).
 */
public final class MapMaker {
    public MapMaker() {}

    public MapMaker weakKeys() {
        return this;
    }

    public MapMaker weakValues() {
        return this;
    }

    public MapMaker softValues() {
        return this;
    }

    public MapMaker concurrencyLevel(int level) {
        return this;
    }

    public MapMaker initialCapacity(int capacity) {
        return this;
    }

    public <K, V> ConcurrentMap<K, V> makeMap() {
        return new ConcurrentHashMap<K, V>();
    }

    /** A map whose {@code get} computes, stores and returns the value of a missing key (null results are refused). */
    public <K, V> ConcurrentMap<K, V> makeComputingMap(Function<? super K, ? extends V> computer) {
        return new ComputingMap<K, V>(computer);
    }

    /** Computes outside any lock, so a computation may itself read the same map (Stapler's tear-offs do). */
    private static final class ComputingMap<K, V> extends ConcurrentHashMap<K, V> {
        private static final long serialVersionUID = 1L;
        private final transient Function<? super K, ? extends V> computer;

        ComputingMap(Function<? super K, ? extends V> computer) {
            this.computer = computer;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V get(Object key) {
            V v = super.get(key);
            if (v != null) return v;
            V computed = computer.apply((K) key);
            if (computed == null) throw new NullPointerException("computing function returned null for " + key);
            V raced = putIfAbsent((K) key, computed);
            return raced != null ? raced : computed;
        }
    }
}
