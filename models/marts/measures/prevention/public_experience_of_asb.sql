{{ measure_not_loaded() }}
